"""Which engines are alive, and which live engine looks after which stack.

Pure.  An engine is alive while its ``service`` row's heartbeat is fresher
than the down time; an engine id with no row at all (it stopped cleanly
and deleted its row) is gone.  Each running stack is looked after by one
live engine, picked by a stable hash, so engines do not all sweep the same
stacks; when the set of engines changes two may briefly pick the same one,
which is safe because every recovery write is a compare-and-swap.
"""

import datetime
import zlib


def down_time(periodic_interval: float,
              configured: float | None = None) -> float:
    """Seconds without a heartbeat after which an engine counts as gone."""
    if configured:
        return float(configured)
    return 3.0 * periodic_interval


def live_engines(services: list[dict], now: datetime.datetime,
                 down_after: float) -> set[str]:
    """The engine ids whose last heartbeat is recent enough."""
    oldest = now - datetime.timedelta(seconds=down_after)
    return {s['engine_id'] for s in services
            if s['updated_at'] is not None and s['updated_at'] >= oldest}


def looks_after(stack_id: str, live: set[str], engine_id: str) -> bool:
    """Whether ``engine_id`` is the live engine that sweeps ``stack_id``."""
    if engine_id not in live:
        return False
    ordered = sorted(live)
    return ordered[zlib.crc32(stack_id.encode()) % len(ordered)] == engine_id


def certainly_gone(holders: set[str], services: list[dict],
                   proven: set[str]) -> set[str]:
    """The ``holders`` (engines holding row locks) known to be gone without
    waiting for a heartbeat to age: those ``proven`` gone, and those with
    no service row at all (they stopped cleanly and deleted it)."""
    registered = {s['engine_id'] for s in services}
    return {h for h in holders if h in proven or h not in registered}
