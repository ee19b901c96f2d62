"""Who is asking: the request context carried by every RPC message.

A subclass of oslo.context's ``RequestContext`` so logging and oslo.messaging
understand it.  ``to_dict()`` writes both the oslo keys and the older Heat
keys (``tenant_id``, ``username``, ``user_id``) and ``from_dict()`` reads
either, so a real heat-api can talk to our engine and vice versa.
"""

from typing import Any

from oslo_context import context as oslo_context


class RequestContext(oslo_context.RequestContext):
    """The caller's project, user, roles, token and request id.

    ``project_id`` is the tenant every stack query is scoped by; ``is_admin``
    is true for noauth requests, as in Heat's noauth pipeline, and what the
    ``context_is_admin`` rule says behind Keystone (api/auth.py).  The fields
    of Heat's context beyond oslo.context's (``HEAT_KEYS``) travel too, so a
    stock heat-api's context reaches the engine whole and ours reaches a
    heat-engine as its own.
    """

    # Heat's RequestContext.FROM_DICT_EXTRA_KEYS.
    HEAT_KEYS = ('password', 'aws_creds', 'trust_id', 'trustor_user_id',
                 'auth_token_info', 'auth_url', 'region_name')
    FROM_DICT_EXTRA_KEYS = ('username',) + HEAT_KEYS

    def __init__(self, project_id: str | None = None,
                 user_id: str | None = None, username: str | None = None,
                 is_admin: bool = False, show_deleted: bool = False,
                 request_id: str | None = None, password: str | None = None,
                 aws_creds: str | None = None, trust_id: str | None = None,
                 trustor_user_id: str | None = None,
                 auth_token_info: dict | None = None,
                 auth_url: str | None = None, region_name: str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(project_id=project_id, user_id=user_id,
                         is_admin=is_admin, show_deleted=show_deleted,
                         request_id=request_id, **kwargs)
        # As Heat: without a name or password given, the token's user name.
        self.username = (username if username is not None or password
                         else self.user_name)
        self.password = password
        self.aws_creds = aws_creds
        self.trust_id = trust_id
        self.trustor_user_id = trustor_user_id
        self.auth_token_info = auth_token_info
        self.auth_url = auth_url
        self.region_name = region_name

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
        values.update({key: getattr(self, key) for key in self.HEAT_KEYS})
        return values

    def to_policy_values(self):
        """oslo.policy's credentials plus the older names Heat adds."""
        values = super().to_policy_values()
        values.update({'user': self.user_id, 'tenant': self.project_id,
                       'is_admin': self.is_admin,
                       'auth_token_info': self.auth_token_info})
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
