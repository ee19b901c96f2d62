"""What the traversal code needs from the outside world, in one bundle.

The worker and stack modules reach the database, their peers and time only
through a ``Runtime``: production wires the real database, oslo.messaging and
eventlet; the scenario tests wire a stepped in-memory queue and a fake clock.
"""

import dataclasses
import logging
import threading
import time
from typing import Callable, Protocol

from convergence import cloud_ports
from convergence import ports
from convergence import traversal_ports
from convergence.resources import clock
from convergence.software_config import agent_urls

LOG = logging.getLogger(__name__)


class Messenger(Protocol):
    """How a node reaches the worker that will run another node."""

    def cast_check_resource(self, resource_id: int, traversal_id: str,
                            data: dict, is_update: bool) -> None: ...

    def cancel_remote(self, stack_id: str, engine_ids: set[str]) -> None: ...


@dataclasses.dataclass
class Settings:
    """The configuration values the traversal reads."""

    stack_action_timeout: int = 3600
    failure_poll_interval: float = 0.2
    max_nested_stack_depth: int = 5
    max_resources_per_stack: int = 1000
    max_template_size: int = 524288
    # The engine-served URLs of servers' agents and the default transports.
    agents: agent_urls.AgentSettings = dataclasses.field(
        default_factory=agent_urls.AgentSettings)


class ActionClock(clock.WallClock):
    """Time for one resource action: sleeps that end on cancel or deadline.

    ``deadline`` is the stack's deadline as stored: wall time (epoch
    seconds), or None.  It is placed on the monotonic scale once, here, so
    that the action's readings and waits are all monotonic and a step of the
    system clock during the action neither shortens nor stretches it.
    ``wait`` blocks cooperatively on ``cancelled`` (a green thread when
    eventlet is active), wakes the moment it is set and raises
    ActionCancelled, or raises Timeout once the deadline has passed.
    """

    def __init__(self, deadline: float | None, cancelled: threading.Event):
        # The event's own wait ends on cancel: no need to poll for it.
        super().__init__(deadline=clock.monotonic_deadline(deadline),
                         is_cancelled=cancelled.is_set, sleep=cancelled.wait,
                         cancel_poll=None)
        self.cancelled = cancelled


class CancelRegistry:
    """The in-flight actions of this process, by stack, so they can be stopped.

    A cancel also leaves a note, so a node that took its row lock before the
    cancel arrived but registers its action only after is stopped as well;
    the traversal that supersedes the cancelled work is spared.
    """

    # Seconds a cancel note is kept: longer than a lock-to-action gap.
    NOTE_SECONDS = 300

    def __init__(self):
        self._lock = threading.Lock()
        self._by_stack: dict[str, dict[threading.Event, str | None]] = {}
        self._notes: dict[str, tuple[float, str | None]] = {}

    def register(self, stack_id: str, traversal_id: str | None = None,
                 since: float | None = None) -> threading.Event:
        """An event set when the stack's work is cancelled; already set if
        a cancel sparing another traversal arrived at or after ``since``
        (a ``time.monotonic()`` taken before the node locked its row)."""
        event = threading.Event()
        with self._lock:
            self._by_stack.setdefault(stack_id, {})[event] = traversal_id
            note = self._notes.get(stack_id)
        if (note is not None and since is not None and note[0] >= since
                and traversal_id != note[1]):
            event.set()
        return event

    def unregister(self, stack_id: str, event: threading.Event) -> None:
        with self._lock:
            events = self._by_stack.get(stack_id)
            if events is not None:
                events.pop(event, None)
                if not events:
                    del self._by_stack[stack_id]

    def cancel(self, stack_id: str, spare_traversal: str | None = None) -> int:
        """Stop the stack's actions here, except those of ``spare_traversal``."""
        now = time.monotonic()
        with self._lock:
            self._notes[stack_id] = (now, spare_traversal)
            for old in [k for k, (t, _) in self._notes.items()
                        if now - t > self.NOTE_SECONDS]:
                del self._notes[old]
            events = [e for e, traversal in
                      self._by_stack.get(stack_id, {}).items()
                      if spare_traversal is None
                      or traversal != spare_traversal]
        for event in events:
            event.set()
        return len(events)


@dataclasses.dataclass
class Runtime:
    """Everything a traversal step touches besides its own arguments.

    What ``db``, ``events`` and ``definitions`` promise is stated by their
    ports (convergence/ports.py).
    """

    db: ports.Database
    messenger: Messenger
    engine_id: str
    events: traversal_ports.EventSink
    definitions: traversal_ports.DefinitionSource
    settings: Settings = dataclasses.field(default_factory=Settings)
    cancels: CancelRegistry = dataclasses.field(default_factory=CancelRegistry)
    clock_factory: Callable = ActionClock
    spawn: Callable = None
    sleep: Callable = time.sleep
    # call_later(seconds, func, *args): run ``func`` once, that much later.
    # Engines set a timer on eventlet's hub: no green thread exists, let
    # alone waits, until it fires (the default is a plain timer thread).
    call_later: Callable = None
    # Announces operations to other systems (convergence/notifications.py);
    # None when no notification driver is configured.
    notifier: object = None
    # Stack credentials and the cloud clients acting with them
    # (convergence/clients/); None: no cloud, every cloud type unavailable.
    clouds: cloud_ports.Clouds | None = None

    def __post_init__(self):
        if self.spawn is None:
            self.spawn = _spawn_thread
        if self.call_later is None:
            self.call_later = _timer_thread


def _spawn_thread(func, *args, **kwargs):
    """Run ``func`` in the background (a green thread once eventlet patched)."""
    thread = threading.Thread(target=_logged(func), args=args, kwargs=kwargs,
                              daemon=True)
    thread.start()
    return thread


def _timer_thread(seconds: float, func, *args):
    """Run ``func`` in the background after ``seconds``."""
    timer = threading.Timer(seconds, _logged(func), args=args)
    timer.daemon = True
    timer.start()
    return timer


def _logged(func):
    def run(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except Exception:
            LOG.exception('background task %s failed', func.__name__)
    return run
