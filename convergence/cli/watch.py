"""Following a stack until its operation ends: a line per resource as it
changes, live progress bars on a terminal, a summary at the end."""

import sys
import time
from typing import Callable, Mapping, TextIO

from convergence.cli import render

# Seconds between two reads of the graph.
POLL_INTERVAL = 1.0
# Seconds to wait for an operation just asked for to show as started.
START_TIMEOUT = 60.0


class Screen:
    """Where the lines go; on a terminal, the bars stay redrawn below
    them (ANSI: cursor up, clear line); elsewhere only lines."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.live = out.isatty()
        self._drawn = 0

    def _clear(self) -> None:
        if self._drawn:
            self.out.write('\x1b[%dA\x1b[J' % self._drawn)
        self._drawn = 0

    def show(self, lines: list[str], bars: list[str]) -> None:
        self._clear()
        for line in lines:
            self.out.write(line + '\n')
        if self.live:
            for line in bars:
                self.out.write(line + '\n')
            self._drawn = len(bars)
        self.out.flush()

    def done(self, lines: list[str]) -> None:
        self._clear()
        for line in lines:
            self.out.write(line + '\n')
        self.out.flush()


def _running(graph: Mapping) -> bool:
    return graph['stack']['operation']['running']


def _mark(graph: Mapping) -> tuple:
    stack = graph['stack']
    return stack['status'], stack['operation']['started']


# The graph before a create: no node yet, so every node's first status
# is a change.
NOTHING = {'stack': None, 'nodes': []}


def follow(read_graph: Callable[[], dict], out: TextIO = sys.stdout,
           before: Mapping | None = None, sleep=time.sleep,
           clock=time.monotonic) -> bool:
    """Print the progress of the stack ``read_graph`` reads until its
    operation ends; whether it succeeded.

    ``before`` is the graph read before an operation was asked for
    (NOTHING before a create): every status differing from it is printed,
    and until the stack's (status, start) differs from it the operation
    has not started yet, so the old operation's end is not this one's.
    Without it, a watch begun midway prints what is in flight.
    """
    screen = Screen(out)
    started = clock()
    graph = read_graph()
    while before and before['stack'] and \
            _mark(graph) == _mark(before) and \
            clock() - started < START_TIMEOUT:
        sleep(POLL_INTERVAL)
        graph = read_graph()
    previous, idle = before, before is None and not _running(graph)
    while True:
        lines = [render.change_line(clock() - started, *change)
                 for change in render.changes(previous, graph)]
        screen.show(lines, render.level_bars(graph))
        if not _running(graph):
            break
        sleep(POLL_INTERVAL)
        previous, graph = graph, read_graph()
    screen.done(render.level_bars(graph) +
                render.summary(graph, None if idle else clock() - started))
    return render.succeeded(graph['stack']['status'] or '')
