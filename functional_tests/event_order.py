"""The rule Heat's clients rely on: a resource's events never overlap.

Per logical resource name (every row that ever had the name: a replacement
and the row it replaces count as one), an action starts (``*_IN_PROGRESS``)
only after the previous one ended (``*_COMPLETE`` or ``*_FAILED``), in the
order ``event list`` returns the events.  Pure: no client, no server.
"""

from typing import Iterable

IN_PROGRESS = '_IN_PROGRESS'


def overlaps(events: Iterable[tuple[str, str]]) -> list[str]:
    """Each event that starts an action while its name's last one is open.

    ``events`` are (resource name, status) pairs, for example
    ``('a', 'CREATE_IN_PROGRESS')``, in listed order.  Returns one message
    per offending event, naming both events by their position; empty when
    the events are in order.
    """
    open_at: dict[str, tuple[int, str]] = {}
    found = []
    for position, (name, status) in enumerate(events):
        if not status.endswith(IN_PROGRESS):
            open_at.pop(name, None)
            continue
        if name in open_at:
            started, open_status = open_at[name]
            found.append('%s: #%d %s while #%d %s is still open' % (
                name, position, status, started, open_status))
        open_at[name] = (position, status)
    return found
