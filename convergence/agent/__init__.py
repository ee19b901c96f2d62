"""The agent side of software deployments: what runs on a server.

``convergence-heat-config`` is the command an unmodified os-collect-config
runs whenever the metadata it polls changes. It speaks Heat's heat-config
protocol (heat-agents' ``55-heat-config``, the ``script`` hook and
``heat-config-notify``) in one program:

- ``protocol``: the collected metadata, a deployment's inputs, its signal
  target and the body of its signal (pure);
- ``state``: what has been done for each deployment action, on disk, and the
  rule that says what to do next (run, signal again, nothing);
- ``hooks``: the hook for a config's ``group`` (``script``, and ``component``
  resolved to its tool), a refusal naming any other group;
- ``signals``: delivering a result by the deployment's signal transport, with
  retries; ``heat_signal`` for HEAT_SIGNAL (Keystone, then Heat's API);
  ``webclient`` the one HTTP request they make;
- ``runner``: the console script tying them together.

This package imports nothing of the engine and nothing beyond Python's
standard library: it is what runs on a VM (docs/software-config.md).
"""
