"""Heat orchestration API v1 over the engine RPC API."""

from convergence.api.app import make_app  # noqa: F401
