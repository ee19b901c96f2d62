"""One HTTP request as the agent makes it, and how it can fail.

An answer 500, 502, 503 or 504, and a connection that fails or times out,
raise RetryableError (heat-config-notify retries the same); any other
answer is returned, redirects included: following one would turn a POST
or PUT into a GET without its body.
"""

import http.client
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping

# Seconds to connect and to wait for the answer.
TIMEOUT = 30.0
# The answers worth another attempt (heat-config-notify's list).
RETRY_STATUSES = frozenset({500, 502, 503, 504})
JSON_HEADERS = {'Content-Type': 'application/json',
                'Accept': 'application/json'}


class RetryableError(Exception):
    """An attempt that may succeed if made again."""


class Refused(Exception):
    """A final answer: sending the same again cannot change it."""


# (status, headers, body) of an answer.
Answer = tuple[int, Mapping[str, str], bytes]
# method, url, body, headers -> the answer, or RetryableError.
Request = Callable[[str, str, bytes | None, Mapping[str, str]], Answer]


class _NoRedirect(urllib.request.HTTPRedirectHandler):

    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def request(method: str, url: str, body: bytes | None,
            headers: Mapping[str, str], timeout: float = TIMEOUT) -> Answer:
    """Make one request; the answer, or RetryableError."""
    prepared = urllib.request.Request(url, data=body, method=method,
                                      headers=dict(headers))
    try:
        with _OPENER.open(prepared, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as e:
        data = e.read()
        if e.code in RETRY_STATUSES:
            raise RetryableError('HTTP %d %s' % (e.code, summary(data))) from e
        return e.code, e.headers, data
    except (urllib.error.URLError, OSError, http.client.HTTPException) as e:
        raise RetryableError(str(getattr(e, 'reason', e))) from e


def summary(data: bytes, size: int = 500) -> str:
    """The start of an answer's body, for the log."""
    return data[:size].decode('utf-8', 'replace').strip()


def described(method: str, url: str, answer: Answer) -> str:
    """``METHOD url: HTTP status <start of the body>``; raises Refused with
    that when the status is not 2xx."""
    status, _, data = answer
    detail = '%s %s: HTTP %d' % (method, url, status)
    if data.strip():
        detail += ' ' + summary(data)
    if not 200 <= status < 300:
        raise Refused(detail)
    return detail
