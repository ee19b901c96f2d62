"""Taking work from many stacks in turn instead of first come, first served.

A stack that casts 2,000 ``check_resource`` messages at once would otherwise
queue them all ahead of a small stack's few.  Work is grouped into flows (a
stack's traversal) and flows take turns: the in-process transport's queues
(``inproc``) and the engine's node dispatcher (``worker.dispatch``) both use
``FairQueue``.
"""

import collections
from typing import Hashable, Iterator


def flow_of(message: dict) -> Hashable:
    """The flow of an RPC message: the traversal its arguments name.

    Messages without one (engine API calls) share the flow None.
    """
    args = message.get('args') if isinstance(message, dict) else None
    if isinstance(args, dict):
        return args.get('traversal_id')
    return None


class FairQueue:
    """First in, first out within a flow; round robin between flows."""

    def __init__(self):
        self._flows: collections.OrderedDict = collections.OrderedDict()
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def put(self, flow: Hashable, item, first: bool = False) -> None:
        """Queue ``item``; ``first`` puts it ahead of its flow's others."""
        items = self._flows.get(flow)
        if items is None:
            items = self._flows[flow] = collections.deque()
        if first:
            items.appendleft(item)
        else:
            items.append(item)
        self._count += 1

    def get(self):
        """The next item of the flow whose turn it is (IndexError if none)."""
        if not self._flows:
            raise IndexError('get from an empty FairQueue')
        flow, items = next(iter(self._flows.items()))
        item = items.popleft()
        if items:
            self._flows.move_to_end(flow)
        else:
            del self._flows[flow]
        self._count -= 1
        return item

    def items(self) -> Iterator[tuple]:
        """(flow, item) of everything queued, without taking it."""
        for flow, items in self._flows.items():
            for item in items:
                yield flow, item
