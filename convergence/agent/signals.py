"""Delivering a deployment action's result by its signal transport.

TEMP_URL_SIGNAL and CFN_SIGNAL send the body to deploy_signal_id with the
deployment's verb (PUT and POST), as heat-config-notify does: a
``Content-Type: application/json`` body, and retries when the connection
fails or the server answers 500, 502, 503 or 504. Any other answer is
final: 2xx landed; 4xx (or a redirect, which would lose the body) refused,
and sending the same body again cannot change that. NO_SIGNAL sends
nothing.
"""

import dataclasses
import http.client
import time
import urllib.error
import urllib.request
from collections.abc import Callable

from convergence.agent import protocol

LANDED, REFUSED, UNDELIVERED = 'landed', 'refused', 'undelivered'

# Attempts per delivery, and the pause before the second (doubled each
# time, at most MAX_BACKOFF): about 40 s of trying before the runner gives
# up until os-collect-config runs it again.
ATTEMPTS = 8
BACKOFF = 0.5
MAX_BACKOFF = 8.0
# Seconds to connect and to wait for the answer, per attempt.
TIMEOUT = 30.0
# The answers worth another attempt (heat-config-notify's list).
RETRY_STATUSES = frozenset({500, 502, 503, 504})


@dataclasses.dataclass(frozen=True)
class Delivery:
    """How a delivery ended: LANDED, REFUSED or UNDELIVERED, and why."""

    outcome: str
    detail: str
    attempts: int = 0


class RetryableError(Exception):
    """An attempt that may succeed if made again."""


# One attempt: send ``body`` by ``target``, return the HTTP status (2xx or
# a final refusal) and the start of the answer's body, or raise
# RetryableError.
Sender = Callable[[protocol.SignalTarget, bytes], tuple[int, str]]


def deliver(target: protocol.SignalTarget, body: bytes,
            send: Sender | None = None, attempts: int = ATTEMPTS,
            backoff: float = BACKOFF,
            sleep: Callable[[float], None] = time.sleep,
            log: Callable[[str], None] = lambda message: None) -> Delivery:
    """Deliver ``body`` by ``target``, retrying what may succeed."""
    if target.transport == protocol.NO_SIGNAL:
        return Delivery(LANDED, 'no signal (%s)' % protocol.NO_SIGNAL)
    send = send or http_send
    pause = backoff
    for attempt in range(1, attempts + 1):
        try:
            status, answer = send(target, body)
        except RetryableError as e:
            log('signal attempt %d/%d to %s failed: %s'
                % (attempt, attempts, target.url, e))
            if attempt < attempts:
                sleep(pause)
                pause = min(pause * 2, MAX_BACKOFF)
            continue
        outcome = LANDED if 200 <= status < 300 else REFUSED
        return Delivery(outcome, '%s %s: HTTP %d%s' % (
            target.verb, target.url, status,
            ' %s' % answer if answer else ''), attempt)
    return Delivery(UNDELIVERED, '%s %s: no answer after %d attempts' % (
        target.verb, target.url, attempts), attempts)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Redirects are answers: following one would drop the body."""

    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def http_send(target: protocol.SignalTarget, body: bytes,
              timeout: float = TIMEOUT) -> tuple[int, str]:
    """One HTTP attempt: the status and the start of the answer, or
    RetryableError."""
    request = urllib.request.Request(
        target.url, data=body, method=target.verb,
        headers={'Content-Type': 'application/json'})
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            return response.status, _answer(response.read())
    except urllib.error.HTTPError as e:
        detail = _answer(e.read())
        if e.code in RETRY_STATUSES:
            raise RetryableError('HTTP %d %s' % (e.code, detail)) from e
        return e.code, detail
    except (urllib.error.URLError, OSError,
            http.client.HTTPException) as e:
        raise RetryableError(str(getattr(e, 'reason', e))) from e


def _answer(data: bytes, size: int = 500) -> str:
    """The start of an answer's body, for the log."""
    return data[:size].decode('utf-8', 'replace').strip()
