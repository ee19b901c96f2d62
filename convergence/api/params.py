"""Reading request input the way heat-api does: query values and JSON body.

Bad values become ``webob.exc.HTTPBadRequest`` with heat-api's wording, so
the fault body (type ``HTTPBadRequest``) matches real Heat's.
"""

import json
from typing import Any, Mapping

from webob import exc

from convergence import exceptions

SINGLE, MULTI, MIXED = 'single', 'multi', 'mixed'
# Bytes read from the request body at a time.
BODY_CHUNK = 65536
# environ key of a callable the HTTP server offers (convergence/api/
# server.py): close the connection once the response is sent.
CLOSE_CONNECTION = 'convergence.close_connection'

_TRUE = ('true', '1', 't', 'on', 'y', 'yes')


def extract_bool(name: str, value: Any) -> bool:
    """``true``/``false`` in any case, else 400."""
    if str(value).lower() not in ('true', 'false'):
        raise exc.HTTPBadRequest(
            'Unrecognized value "%s" for "%s", acceptable values are: '
            'true, false.' % (value, name))
    return str(value).lower() in _TRUE


def _is_int_like(value: Any) -> bool:
    try:
        return str(int(value)) == str(value)
    except (TypeError, ValueError):
        return False


def extract_int(name: str, value: Any, allow_zero: bool = True,
                allow_negative: bool = False) -> int | None:
    """An integer parameter; None stays None."""
    if value is None:
        return None
    if not _is_int_like(value):
        raise exc.HTTPBadRequest(
            "Only integer is acceptable by '%s'." % name)
    result = int(value)
    if result == 0 and not allow_zero:
        raise exc.HTTPBadRequest(
            "Only non-zero integer is acceptable by '%s'." % name)
    if result < 0 and not allow_negative:
        raise exc.HTTPBadRequest(
            "Value '%s' is invalid for '%s' which only accepts "
            "non-negative integer." % (value, name))
    return result


def extract_tags(value: Any) -> list[str]:
    """A comma-joined tag string (or a list of strings) as a list of tags."""
    tags = value.split(',') if isinstance(value, str) else value
    if not isinstance(tags, list) or not all(isinstance(t, str)
                                             for t in tags):
        raise exc.HTTPBadRequest(
            'Invalid tags %s, must be a string of comma-separated tags'
            % (value,))
    for tag in tags:
        if len(tag) > 80:
            raise exc.HTTPBadRequest(
                'Invalid tag, "%s" is longer than 80 characters' % tag)
    return tags


def get_allowed_params(params: Any, types: Mapping[str, str]) -> dict:
    """The query values named in ``types``, as single, list or mixed.

    Only keys given with a non-empty value appear in the result; a
    ``mixed`` key is a string when given once and a list when repeated.
    """
    allowed = {}
    for key, kind in types.items():
        if kind == SINGLE:
            value = params.get(key)
        else:
            value = params.getall(key)
            if kind == MIXED and len(value) == 1:
                value = value[0]
        if value:
            allowed[key] = value
    return allowed


def _is_json_content_type(req) -> bool:
    content_type = req.content_type or 'application/json'
    if content_type.startswith('text/plain'):
        content_type = 'application/json'
    return content_type in ('JSON', 'application/json')


def _has_body(req) -> bool:
    chunked = req.headers.get('Transfer-Encoding', '').lower() == 'chunked'
    return bool(req.content_length) or chunked


def limit_exceeded(text: str) -> exceptions.RequestLimitExceeded:
    """RequestLimitExceeded whose message has Heat's prefix."""
    # ConvergenceError takes a given message verbatim, so apply msg_fmt here.
    return exceptions.RequestLimitExceeded(
        exceptions.RequestLimitExceeded.msg_fmt % {'message': text})


def read_json_body(req, max_size: int) -> dict | None:
    """The JSON object in the body, or None if there is none (as heat-api).

    A body over ``max_size`` bytes raises RequestLimitExceeded (400) without
    being read whole: at once from its Content-Length, or as soon as a
    chunked body passes the limit.  The connection is then closed rather
    than drained.
    """
    if not _has_body(req) or not _is_json_content_type(req):
        return None
    try:
        body = _read_at_most(req, max_size)
    except exceptions.RequestLimitExceeded:
        close = req.environ.get(CLOSE_CONNECTION)
        if close is not None:
            close()
        raise
    if not body.lstrip().startswith(b'{'):
        return None
    try:
        return json.loads(body)
    except ValueError as err:
        raise exc.HTTPBadRequest(str(err))


def _read_at_most(req, max_size: int) -> bytes:
    length = req.content_length
    if length is not None and length > max_size:
        raise _body_too_large(str(length), max_size)
    stream = req.body_file_raw
    chunks, size = [], 0
    remaining = max_size + 1 if length is None else length
    while remaining > 0:
        chunk = stream.read(min(BODY_CHUNK, remaining))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
        remaining -= len(chunk)
        if size > max_size:
            raise _body_too_large('more than %d' % max_size, max_size)
    return b''.join(chunks)


def _body_too_large(size: str, max_size: int) -> exceptions.RequestLimitExceeded:
    return limit_exceeded('JSON body size (%s bytes) exceeds maximum '
                          'allowed size (%d bytes).' % (size, max_size))
