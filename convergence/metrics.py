"""What an engine process counts for monitoring: one call per event.

The engine's modules call these functions where the event happens (a node
starts or ends, a traversal starts or reaches its verdict, recovery acts, a
database call is retried); each goes to this process's sink.  The default
sink is ``Counts``, plain numbers in memory (what the unit tests read);
convergence/metrics_server.py installs the Prometheus one when
``[metrics] enabled`` is set.  Nothing here imports prometheus_client.

Figures that are a state rather than an event (traversals in flight, nodes
waiting on joins, nodes running here) are read when scraped, by the sink.
"""

import collections
import threading
from typing import Protocol


class Sink(Protocol):
    """Where the events of this process go."""

    def traversal_started(self, action: str) -> None: ...

    def stack_operation_finished(self, action: str, outcome: str) -> None: ...

    def node_started(self) -> None: ...

    def node_finished(self, outcome: str, seconds: float) -> None: ...

    def recovery_acted(self, kind: str, count: int) -> None: ...

    def db_retried(self, call: str, retries: int) -> None: ...


class Counts:
    """The in-memory sink: every event counted by its labels."""

    def __init__(self):
        self._lock = threading.Lock()
        self.traversals_started: collections.Counter = collections.Counter()
        self.stack_operations: collections.Counter = collections.Counter()
        self.nodes_started = 0
        self.nodes_finished: collections.Counter = collections.Counter()
        self.node_seconds: list[float] = []
        self.recovery_actions: collections.Counter = collections.Counter()
        self.db_retries: collections.Counter = collections.Counter()

    def traversal_started(self, action: str) -> None:
        with self._lock:
            self.traversals_started[action] += 1

    def stack_operation_finished(self, action: str, outcome: str) -> None:
        with self._lock:
            self.stack_operations[(action, outcome)] += 1

    def node_started(self) -> None:
        with self._lock:
            self.nodes_started += 1

    def node_finished(self, outcome: str, seconds: float) -> None:
        with self._lock:
            self.nodes_finished[outcome] += 1
            # Bounded: a long-lived process keeps only the latest.
            self.node_seconds.append(seconds)
            del self.node_seconds[:-_KEPT_LATENCIES]

    def recovery_acted(self, kind: str, count: int) -> None:
        with self._lock:
            self.recovery_actions[kind] += count

    def db_retried(self, call: str, retries: int) -> None:
        with self._lock:
            self.db_retries[call] += retries


_KEPT_LATENCIES = 1000

_sink: Sink = Counts()


def install(sink: Sink) -> Sink:
    """Make ``sink`` this process's; returns the one it replaces."""
    global _sink
    previous, _sink = _sink, sink
    return previous


def sink() -> Sink:
    return _sink


def traversal_started(action: str) -> None:
    _sink.traversal_started(str(action))


def stack_operation_finished(action: str, outcome: str) -> None:
    """A traversal reached its verdict (COMPLETE, FAILED, or CHECK's)."""
    _sink.stack_operation_finished(str(action), str(outcome))


def node_started() -> None:
    _sink.node_started()


def node_finished(outcome: str, seconds: float) -> None:
    """A node's run ended with ``outcome`` (states.NodeOutcome's value, or
    'error' for an exception) after ``seconds``."""
    _sink.node_finished(str(outcome), seconds)


def recovery_acted(kind: str, count: int) -> None:
    """Recovery did ``count`` actions of ``kind`` (unlocked, resent, ...)."""
    if count:
        _sink.recovery_acted(kind, count)


def db_retried(call: str, retries: int) -> None:
    """Database call ``call`` ran ``retries`` more times than once."""
    if retries:
        _sink.db_retried(call, retries)
