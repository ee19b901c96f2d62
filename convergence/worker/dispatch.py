"""Running ``check_resource`` nodes: a bounded number at once, stacks in turn.

If every node ran in its own green thread the moment its message arrived, a
stack that casts 2,000 nodes at once would put 2,000 runnable green threads
ahead of everything else the engine does, and eventlet serves runnable
threads first come, first served: a 10-resource stack created beside such a
stack took 130 times as long as alone (``python -m bench.fairness``), most of
it in its ``create_stack`` call.  So a node holds one of ``limit`` slots
while it runs.  Nodes without a slot wait in one queue per flow (a stack's
traversal); a freed slot goes to the next flow in turn, so a small stack's
nodes pass a big stack's backlog instead of queueing behind it.

A node that waits (a resource action polling its cloud or sleeping) gives
its slot up for the wait and queues for one, first in its flow, before it
goes on: thousands of resources can wait at the same time without holding
the engine up.  Messages are still one cast per node; only the order in
which an engine starts the nodes it has received changes.
"""

import contextlib
import threading
import time
from typing import Callable, Hashable

from convergence.rpc.fairness import FairQueue


class _Start:
    """A node that has not run yet."""

    def __init__(self, flow, func, args):
        self.flow, self.func, self.args = flow, func, args


class _Resume:
    """A node back from a wait, queued for a slot."""

    def __init__(self):
        self.granted = threading.Event()
        self.has_slot = False   # under the dispatcher's lock
        self.abandoned = False


class NodeDispatcher:
    """Runs nodes on ``spawn``ed threads, at most ``limit`` at once."""

    def __init__(self, spawn: Callable, limit: int):
        if limit < 1:
            raise ValueError('a node dispatcher needs at least one slot, '
                             'not %r' % (limit,))
        self._spawn = spawn
        self._limit = limit
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._queue = FairQueue()
        self._running = 0       # nodes holding a slot
        self._in_flight = 0     # nodes submitted and not finished
        # Per thread: the node it runs (flow) and whether it holds a slot.
        self._mine = threading.local()

    @property
    def limit(self) -> int:
        return self._limit

    def counts(self) -> dict:
        with self._lock:
            return {'running': self._running, 'queued': len(self._queue),
                    'in_flight': self._in_flight}

    # --- nodes -----------------------------------------------------------

    def submit(self, flow: Hashable, func: Callable, *args) -> None:
        """Run ``func(*args)`` as a node of ``flow`` when a slot is free."""
        with self._lock:
            self._in_flight += 1
            self._queue.put(flow, _Start(flow, func, args))
        self._grant()

    def _grant(self) -> None:
        """Hand free slots to queued nodes, flows in turn."""
        ready = []
        with self._lock:
            while self._running < self._limit and self._queue:
                item = self._queue.get()
                if isinstance(item, _Resume):
                    if item.abandoned:
                        continue
                    item.has_slot = True
                self._running += 1
                ready.append(item)
        for item in ready:
            if isinstance(item, _Resume):
                item.granted.set()
            else:
                self._spawn(self._run, item)

    def _run(self, start: _Start) -> None:
        self._mine.flow, self._mine.holding = start.flow, True
        try:
            start.func(*start.args)
        finally:
            holding = self._mine.holding
            self._mine.holding = False
            with self._lock:
                if holding:
                    self._running -= 1
                self._in_flight -= 1
                if not self._in_flight:
                    self._idle.notify_all()
            self._grant()

    # --- waits -----------------------------------------------------------

    @contextlib.contextmanager
    def stepped_aside(self):
        """Run the body without this node's slot (a no-op off a node)."""
        if not getattr(self._mine, 'holding', False):
            yield
            return
        self._mine.holding = False
        with self._lock:
            self._running -= 1
        self._grant()
        try:
            yield
        finally:
            self._take_slot_back(self._mine.flow)
            self._mine.holding = True

    def _take_slot_back(self, flow) -> None:
        resume = _Resume()
        with self._lock:
            if self._running < self._limit and not self._queue:
                self._running += 1
                return
            self._queue.put(flow, resume, first=True)
        self._grant()
        try:
            resume.granted.wait()
        except BaseException:
            # Killed while queued: the slot must not go to nobody.
            with self._lock:
                resume.abandoned = True
                granted = resume.has_slot
                if granted:
                    self._running -= 1
            if granted:
                self._grant()
            raise

    def sleep(self, sleep: Callable[[float], None]) -> Callable[[float], None]:
        """``sleep`` that gives the caller's slot up while it sleeps."""
        def sleep_aside(seconds: float) -> None:
            with self.stepped_aside():
                sleep(seconds)
        return sleep_aside

    def clock_factory(self, make_clock: Callable) -> Callable:
        """``make_clock`` whose clocks give the slot up in ``wait``."""
        def make(*args, **kwargs):
            return _SteppingAsideClock(make_clock(*args, **kwargs), self)
        return make

    # --- shutting down -----------------------------------------------------

    def wait_idle(self, timeout: float | None) -> bool:
        """Wait until every submitted node has finished; False on timeout."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._lock:
            while self._in_flight:
                remaining = None
                if deadline is not None:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        return False
                self._idle.wait(remaining)
        return True


class _SteppingAsideClock:
    """An action clock whose waits do not hold a node slot."""

    def __init__(self, clock, dispatcher: NodeDispatcher):
        self._clock = clock
        self._dispatcher = dispatcher

    def now(self) -> float:
        return self._clock.now()

    def wait(self, seconds: float) -> None:
        with self._dispatcher.stepped_aside():
            self._clock.wait(seconds)

    def __getattr__(self, name):
        return getattr(self._clock, name)
