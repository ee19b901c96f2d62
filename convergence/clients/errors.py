"""Errors of the cloud as the resource types report them.

A failed call is a ``CloudError`` whose class is named as Heat's clients
name it (neutronclient's ``BadRequest``, ``Conflict``, ``NotFound``...), so
that the resource fails with Heat's text ``Conflict: resources.<name>:
<the cloud's message>``.
"""


class CloudError(Exception):
    """A call to the cloud failed; ``str()`` is the cloud's message."""

    status_code: int | None = None

    def __init__(self, message: str, status_code: int | None = None):
        super().__init__(message)
        self.status_code = status_code


class BadRequest(CloudError):
    pass


class Unauthorized(CloudError):
    pass


class Forbidden(CloudError):
    pass


class NotFound(CloudError):
    pass


class Conflict(CloudError):
    pass


class OverQuotaClient(CloudError):
    pass


class InternalServerError(CloudError):
    pass


class ServiceUnavailable(CloudError):
    pass


class ConnectionFailed(CloudError):
    """The cloud could not be reached."""


# HTTP status -> the class neutronclient raises for it.
_BY_STATUS = {400: BadRequest, 401: Unauthorized, 403: Forbidden,
              404: NotFound, 409: Conflict, 413: OverQuotaClient,
              500: InternalServerError, 503: ServiceUnavailable}


def for_status(status_code: int, message: str) -> CloudError:
    """The error of an HTTP answer with this status and message."""
    cls = _BY_STATUS.get(status_code)
    if cls is None:
        cls = InternalServerError if status_code >= 500 else CloudError
    return cls(message, status_code)


class CloudUnavailable(Exception):
    """No cloud can be reached for this stack: noauth mode (no token, no
    trust) or credentials that no longer work.  The message says which."""


class Ambiguous(Exception):
    """Several cloud resources have the name a property gives."""
