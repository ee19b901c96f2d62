"""A cloud service's REST resources through an openstacksdk proxy.

What the compute, block storage and image clients share: each call goes
through the proxy (its endpoint from the credentials' catalog, the
service's microversion when it has one), failures become errors.CloudError
(``http``) and transient ones are repeated (``retry``).
"""

import time
from typing import Callable

from convergence.clients import errors
from convergence.clients import http
from convergence.clients import retry


class RestService:
    """Calls on ``proxy`` with ``retry_limit`` repeats of transient errors."""

    # The microversion every call asks for (None: the service has none).
    microversion: str | None = None

    def __init__(self, proxy, retry_limit: int,
                 sleep: Callable[[float], None] = time.sleep):
        self.proxy = proxy
        self.retry_limit = retry_limit
        self.sleep = sleep

    def call(self, what: str, method: str, url: str,
             conflict_is_transient: bool = False, **kwargs):
        """The response of one request; raises errors.CloudError."""
        if self.microversion is not None:
            kwargs.setdefault('microversion', self.microversion)
        return retry.retried(
            lambda: http.request(self.proxy, method, url, **kwargs),
            self.retry_limit, self.sleep, what, conflict_is_transient)

    def get_or_none(self, what: str, url: str, **kwargs):
        """The JSON body of a GET, or None when the cloud answers 404."""
        try:
            return self.call(what, 'GET', url, **kwargs).json()
        except errors.NotFound:
            return None

    def delete_or_false(self, what: str, url: str) -> bool:
        """DELETE; False when it was already gone (404)."""
        try:
            self.call(what, 'DELETE', url, conflict_is_transient=True)
        except errors.NotFound:
            return False
        return True


def unique(kind: str, name: str, found: list) -> dict | None:
    """The one item of ``found`` (those named ``name``), None when empty.

    Raises:
        errors.Ambiguous: several have the name.
    """
    if len(found) > 1:
        raise errors.Ambiguous(
            'Multiple %s matches found for name \'%s\', use an ID to be '
            'more specific.' % (kind, name))
    return found[0] if found else None
