"""How a failed resource action is reported, in Heat's words.

Heat shows a resource failure as ``<ErrorType>: resources.<name>: <reason>``
(``ValueError: resources.bad: Test Resource failed bad``) and the stack
failure as ``Resource CREATE failed: `` followed by that text.  Some events
show the bare reason (``update is restricted for resource.``), so the parts
are kept on the exception as ``kwargs``: ``error_type``, ``resource_name``
and ``reason``.
"""

from convergence.exceptions import ResourceFailure


def resource_failure(resource_name: str, error_type: str,
                     reason: str) -> ResourceFailure:
    """A ResourceFailure reading ``<type>: resources.<name>: <reason>``."""
    message = '%s: resources.%s: %s' % (error_type, resource_name, reason)
    return ResourceFailure(message, error_type=error_type,
                           resource_name=resource_name, reason=reason)


def failure_from_exception(resource_name: str,
                           exc: BaseException) -> ResourceFailure:
    """Wrap an exception raised by plugin code; a ResourceFailure is kept."""
    if isinstance(exc, ResourceFailure):
        return exc
    return resource_failure(resource_name, type(exc).__name__, str(exc))
