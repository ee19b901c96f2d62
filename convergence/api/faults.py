"""Errors as heat-api's FaultWrapper renders them.

Body: ``{"code", "title", "explanation", "error": {"type", "traceback",
"message"}}``.  ``type`` is the exception's class name (``_Remote`` dropped
when it crossed RPC).  ``message`` is shown for ConvergenceErrors and for
webob errors raised on purpose by the API, never for unexpected ones.
"""

import json
import logging

import oslo_messaging
import webob
from webob import exc

from convergence import exceptions

LOG = logging.getLogger(__name__)

_REMOTE_SUFFIX = '_Remote'
# Non-Convergence error names heat-api maps to 400 (fault.py error_map).
_BAD_REQUEST_NAMES = ('ValueError', 'AttributeError')


def _type_name(error: BaseException) -> str:
    name = type(error).__name__
    if name.endswith(_REMOTE_SUFFIX):
        name = name[:-len(_REMOTE_SUFFIX)]
    return name


def _body(status: int, type_name: str, message: str | None) -> dict:
    webob_exc = exc.status_map.get(status, exc.HTTPInternalServerError)
    error = {'type': type_name, 'traceback': None}
    if message is not None:
        error['message'] = message
    return {'code': status, 'title': webob_exc.title,
            'explanation': webob_exc.explanation, 'error': error}


def _not_supported(text: str) -> tuple[int, str, str]:
    # "Endpoint does not support RPC method <name>"
    words = text.split()
    feature = words[-1] if words else 'This request'
    return 400, 'NotSupported', exceptions.NotSupported(
        feature=feature).message


def _classify(error: BaseException) -> tuple[int, str, str | None]:
    """(status, type name, user-visible message or None) for an error."""
    if isinstance(error, exceptions.ConvergenceError):
        return error.http_status, _type_name(error), error.message
    if isinstance(error, exc.HTTPError):
        return error.code, _type_name(error), str(error)
    if isinstance(error, oslo_messaging.NoSuchMethod):
        return _not_supported(str(error))
    if isinstance(error, oslo_messaging.RemoteError):
        if error.exc_type == 'NoSuchMethod':
            return _not_supported(str(error.value or ''))
        name = error.exc_type or 'RemoteError'
    else:
        name = _type_name(error)
    return (400 if name in _BAD_REQUEST_NAMES else 500), name, None


def fault_response(req: webob.Request, error: BaseException) -> webob.Response:
    """The Heat-shaped JSON error response for ``error``."""
    status, type_name, message = _classify(error)
    if message is None and status >= 500:  # a bug or an outage: in full
        LOG.error('%s %s failed: %r', req.method, req.path, error,
                  exc_info=error)
    elif message is None:  # a type Heat answers 400 for: the input's fault
        LOG.warning('%s %s refused: %r', req.method, req.path, error)
    resp = webob.Response(status=status, content_type='application/json')
    resp.body = json.dumps(_body(status, type_name, message)).encode()
    if isinstance(error, exc.HTTPMethodNotAllowed) and 'Allow' in error.headers:
        resp.headers['Allow'] = error.headers['Allow']
    return resp
