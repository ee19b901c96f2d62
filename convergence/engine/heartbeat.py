"""An engine's heartbeat: its ``service`` row, refreshed while it runs.

``convergence-manage service list`` and the other engines' recovery read
the row: an engine is alive while the row is fresh, and gone at once when
the row is deleted (a clean stop).  The first beat is written by the caller
before the engine takes any message; ``stop`` returns only when no beat is
being written any more, so a row deleted afterwards stays deleted.
"""

import logging
import threading

LOG = logging.getLogger(__name__)


def report_alive(rt, conf) -> None:
    """Write this engine's heartbeat (its ``service`` row) once."""
    rt.db.service_report(rt.engine_id, {
        'host': conf.host, 'hostname': conf.host,
        'binary': 'convergence-engine', 'topic': 'engine',
        'report_interval': conf.periodic_interval})


class Heartbeat:
    """Beats every ``periodic_interval`` seconds in ``run`` until ``stop``."""

    def __init__(self, rt, conf):
        self._rt = rt
        self._conf = conf
        self._stopped = threading.Event()
        self._beating = threading.Lock()

    def run(self) -> None:
        while not self._stopped.wait(self._conf.periodic_interval):
            with self._beating:
                if self._stopped.is_set():
                    return
                try:
                    report_alive(self._rt, self._conf)
                except Exception:
                    LOG.exception('heartbeat of engine %s failed',
                                  self._rt.engine_id)

    def stop(self) -> None:
        """No beat after this returns (one under way is waited for)."""
        self._stopped.set()
        with self._beating:
            pass
