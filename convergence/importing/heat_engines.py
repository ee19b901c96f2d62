"""Which heat-engines Heat's service table says are up.

Pure.  Heat's own rule (heat/common/service_utils.py): an engine is up
while its last report is no older than two of its report intervals.  An
import while one is up would take the stacks it is working on for stacks a
dead engine left: they would come over FAILED while it goes on.
"""

import datetime


def live(services: list[dict], now: datetime.datetime) -> list[dict]:
    """The rows of engines up at ``now`` (naive UTC, as Heat stores)."""
    return [s for s in services if s['deleted_at'] is None and (
        now - (s['updated_at'] or s['created_at'])).total_seconds()
        <= 2 * s['report_interval']]


def warning(service: dict) -> str:
    return ('heat-engine %s on %s reported at %s, within two report '
            'intervals: it may still be running; stop every heat-engine '
            'first, or the stacks it works on come over FAILED' % (
                service['engine_id'], service['host'],
                service['updated_at'] or service['created_at']))
