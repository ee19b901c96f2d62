"""Software configuration: configs, their inputs and outputs, deployments."""
