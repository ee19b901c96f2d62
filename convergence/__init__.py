"""convergence: a distributed convergence engine for OpenStack Heat stacks."""
