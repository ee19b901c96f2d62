"""Delivering a deployment action's result by its signal transport.

TEMP_URL_SIGNAL and CFN_SIGNAL send the body to deploy_signal_id with the
deployment's verb (PUT and POST), as heat-config-notify does, with a
``Content-Type: application/json`` body; HEAT_SIGNAL signals the resource
through Heat's API with the Keystone credentials Heat gave the deployment
(heat_signal); NO_SIGNAL sends nothing. An attempt that fails in a way that
may pass (webclient.RetryableError) is made again after a pause; a 2xx
answer lands; any other answer is refused for good.
"""

import dataclasses
import time
from collections.abc import Callable

from convergence.agent import heat_signal
from convergence.agent import protocol
from convergence.agent import webclient

LANDED, REFUSED, UNDELIVERED = 'landed', 'refused', 'undelivered'

# Attempts per delivery, and the pause before the second (doubled each
# time, at most MAX_BACKOFF): about 40 s of trying before the runner gives
# up until os-collect-config runs it again.
ATTEMPTS = 8
BACKOFF = 0.5
MAX_BACKOFF = 8.0


@dataclasses.dataclass(frozen=True)
class Delivery:
    """How a delivery ended: LANDED, REFUSED or UNDELIVERED, and why."""

    outcome: str
    detail: str
    attempts: int = 0


# One attempt: send ``body`` by ``target``; what landed, or
# webclient.Refused / webclient.RetryableError.
Sender = Callable[[protocol.SignalTarget, bytes], str]


def deliver(target: protocol.SignalTarget, body: bytes,
            send: Sender | None = None, attempts: int = ATTEMPTS,
            backoff: float = BACKOFF,
            sleep: Callable[[float], None] = time.sleep,
            log: Callable[[str], None] = lambda message: None) -> Delivery:
    """Deliver ``body`` by ``target``, retrying what may succeed."""
    if target.transport == protocol.NO_SIGNAL:
        return Delivery(LANDED, 'no signal (%s)' % protocol.NO_SIGNAL)
    send = send or send_once
    pause = backoff
    for attempt in range(1, attempts + 1):
        try:
            return Delivery(LANDED, send(target, body), attempt)
        except webclient.Refused as e:
            return Delivery(REFUSED, str(e), attempt)
        except webclient.RetryableError as e:
            log('signal attempt %d/%d by %s failed: %s'
                % (attempt, attempts, target.transport, e))
        if attempt < attempts:
            sleep(pause)
            pause = min(pause * 2, MAX_BACKOFF)
    return Delivery(UNDELIVERED, '%s%s: no answer after %d attempts' % (
        target.transport, ' to %s' % target.url if target.url else '',
        attempts), attempts)


def send_once(target: protocol.SignalTarget, body: bytes,
              request: webclient.Request = webclient.request) -> str:
    """One attempt by the target's transport, over HTTP."""
    if target.transport == protocol.HEAT_SIGNAL:
        return heat_signal.send(target.auth, body, request)
    return webclient.described(target.verb, target.url, request(
        target.verb, target.url, body, webclient.JSON_HEADERS))
