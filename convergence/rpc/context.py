"""Who is asking: the request context carried by every RPC message.

A subclass of oslo.context's ``RequestContext`` so logging and oslo.messaging
understand it.  ``to_dict()`` writes both the oslo keys and the older Heat
keys (``tenant_id``, ``username``, ``user_id``) and ``from_dict()`` reads
either, so a real heat-api can talk to our engine and vice versa.
"""

from typing import Any

from oslo_context import context as oslo_context


class RequestContext(oslo_context.RequestContext):
    """The caller's project, user and request id.

    ``project_id`` is the tenant every stack query is scoped by; ``is_admin``
    is true for noauth requests, as in Heat's noauth pipeline.
    """

    def __init__(self, project_id: str | None = None,
                 user_id: str | None = None, username: str | None = None,
                 is_admin: bool = False, show_deleted: bool = False,
                 request_id: str | None = None, **kwargs: Any) -> None:
        super().__init__(project_id=project_id, user_id=user_id,
                         is_admin=is_admin, show_deleted=show_deleted,
                         request_id=request_id, **kwargs)
        self.username = username

    @property
    def tenant(self) -> str | None:
        """Heat's older name for ``project_id``."""
        return self.project_id

    @property
    def user(self) -> str | None:
        """The user id, or the user name when no id is known."""
        return self.user_id or self.username

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict that ``from_dict`` (ours or Heat's) rebuilds."""
        values = super().to_dict()
        values.update({
            'user_id': self.user_id,
            'username': self.username,
            'tenant_id': self.project_id,
            'project_name': self.project_name,
        })
        return values

    @classmethod
    def from_dict(cls, values: dict[str, Any],
                  **kwargs: Any) -> 'RequestContext':
        """Rebuild a context from ``to_dict()`` output or Heat's context dict."""
        kwargs.setdefault('project_id', values.get('project_id')
                          or values.get('tenant_id')
                          or values.get('project'))
        kwargs.setdefault('user_id', values.get('user_id')
                          or values.get('user'))
        kwargs.setdefault('username', values.get('username'))
        return super().from_dict(values, **kwargs)


def admin_context(project_id: str | None = None) -> RequestContext:
    """A context for the engine's own work (recovery, nested stacks)."""
    return RequestContext(project_id=project_id, is_admin=True)
