"""The fault test case: a fresh 3-engine deployment per test, watched closely.

Engines heartbeat every second (``periodic_interval = 1``) so that a dead
engine is noticed within seconds.  The API may fail or time out while an
engine dies or a service restarts; a stack's status is then read again
rather than taken as the test's failure: what counts is whether the stack
converges, unattended, within a bound.
"""

import dataclasses
import os
import time

from heatclient import exc as heat_exc
import requests
import testtools

from functional_tests import bookkeeping
from functional_tests import deployment as deployment_mod
from functional_tests import waiting
from functional_tests.faults import workload

BACKEND_ENV = 'CONVERGENCE_FAULT_BACKEND'
ENGINES = 3
PERIODIC_INTERVAL = 1
# Seconds one API request may take before it counts as a failed look (an
# RPC call that reached a dying engine waits much longer for its answer).
API_TIMEOUT = 10
# Seconds between two looks at a stack.
POLL = 0.25
TERMINAL_SUFFIXES = ('_COMPLETE', '_FAILED')
GONE = 'GONE'


@dataclasses.dataclass
class Outcome:
    """How a wait for a stack status ended."""

    converged: bool
    status: str
    seconds: float
    at: float
    # (seconds, status) at every change of the status seen
    history: list = dataclasses.field(default_factory=list)

    def describe(self) -> str:
        return '%s after %.1f s (seen: %s)' % (
            self.status, self.seconds, ', '.join(
                '%.1f %s' % change for change in self.history))

    def first_seen(self, prefix: str) -> float | None:
        """Seconds until a status starting with ``prefix`` was first seen."""
        return next((at for at, status in self.history
                     if status.startswith(prefix)), None)


class HeldRows:
    """The rows a killed engine held, watched until others finish them.

    Rows of every stack in ``stack_ids`` locked by the engine count, but
    not a row awaiting its child stack (``awaiting`` set): the child's
    operation holds that one, not the engine.  Recovered once none of them
    is still locked by the dead engine or in progress (deleted rows count
    as finished; a nested row counts once another engine has handed it to
    its child).
    """

    def __init__(self, db, stack_ids: list[str], engine_id: str,
                 killed_at: float):
        self.db = db
        self.engine_id = engine_id
        self.killed_at = killed_at
        rows = [row for stack_id in stack_ids
                for row in db.resources_of_stack(stack_id, active_only=False)]
        self.row_ids = [row['id'] for row in rows
                        if row['engine_id'] == engine_id
                        and not row['awaiting']]
        # rows handed to a child stack's operation (whoever started it),
        # and those of them the killed engine had started
        self.awaiting = sum(1 for row in rows if row['awaiting'])
        self.awaiting_own = sum(1 for row in rows if row['awaiting']
                                and row['engine_id'] == engine_id)
        self.recovered_at = killed_at if not self.row_ids else None

    @property
    def recovery_seconds(self) -> float | None:
        if self.recovered_at is None:
            return None
        return self.recovered_at - self.killed_at

    def check(self) -> None:
        if self.recovered_at is not None:
            return
        try:
            rows = [self.db.resource_get(i) for i in self.row_ids]
        except Exception:  # the database may be restarting: look again
            return
        if all(self._finished(row) for row in rows):
            self.recovered_at = time.monotonic()

    def _finished(self, row: dict | None) -> bool:
        if row is None:
            return True
        if row['engine_id'] == self.engine_id:
            return False
        return row['status'] != 'IN_PROGRESS' or bool(row['awaiting'])


class FaultTestCase(testtools.TestCase):
    """Base class: ``self.deployment`` runs 3 engines; ``self.client``."""

    def setUp(self):
        super().setUp()
        executor = os.environ.get(deployment_mod.EXECUTOR_ENV) or 'eventlet'
        self.deployment = self.useFixture(deployment_mod.Deployment(
            backend=os.environ.get(BACKEND_ENV) or 'mariadb',
            engines=ENGINES, config={'periodic_interval': PERIODIC_INTERVAL,
                                     'executor': executor}))
        self.client = self.deployment.client_for(self, timeout=API_TIMEOUT)
        self.ledger = self.deployment.ledger

    # -- operations --------------------------------------------------------

    def create(self, name: str, parameters: dict | None = None,
               template: str | None = None,
               files: dict | None = None) -> str:
        """POST the stack (rollback disabled); returns 'name/id'."""
        body = self.client.stacks.create(
            stack_name=name, template=template or workload.template(),
            files=files or {}, parameters=parameters or {},
            disable_rollback=True)
        return '%s/%s' % (name, body['stack']['id'])

    def update(self, identifier: str, parameters: dict,
               template: str | None = None,
               files: dict | None = None) -> None:
        self.client.stacks.update(identifier,
                                  template=template or workload.template(),
                                  files=files or {}, parameters=parameters)

    def delete(self, identifier: str) -> None:
        self.client.stacks.delete(identifier)

    # -- observations ------------------------------------------------------

    def status(self, identifier: str) -> str | None:
        """The stack's status, GONE if not found, None if the API failed."""
        try:
            return self.client.stacks.get(identifier,
                                          resolve_outputs=False).stack_status
        except heat_exc.HTTPNotFound:
            return GONE
        except (heat_exc.HTTPException, heat_exc.CommunicationError,
                requests.RequestException):
            return None

    def listed(self, identifier: str) -> dict:
        """{name: physical id} as the API lists the stack's resources."""
        return {r.resource_name: r.physical_resource_id
                for r in self.client.resources.list(identifier)}

    def outputs(self, identifier: str) -> dict:
        stack = self.client.stacks.get(identifier)
        return {o['output_key']: o.get('output_value')
                for o in getattr(stack, 'outputs', None) or []}

    def stack_id(self, identifier: str) -> str:
        return identifier.split('/')[1]

    def wait_converged(self, identifier: str, expected: str, timeout: float,
                       started: float | None = None, stale: str = '',
                       on_poll=None) -> Outcome:
        """Look until the stack shows ``expected`` or another final status,
        or ``timeout`` seconds after ``started`` (default now) have passed.

        ``stale`` (the status before the operation) is not taken as final;
        a stack that is gone counts as DELETE_COMPLETE.  ``on_poll`` is
        called at every look.
        """
        started = time.monotonic() if started is None else started
        last, history = 'no answer', []
        while True:
            if on_poll is not None:
                on_poll()
            status = self.status(identifier)
            now = time.monotonic()
            if status == GONE and expected == 'DELETE_COMPLETE':
                status = expected
            if status is not None and status != last:
                last = status
                history.append((now - started, status))
            if status == expected:
                return Outcome(True, status, now - started, now, history)
            if (status not in (None, stale, GONE)
                    and status.endswith(TERMINAL_SUFFIXES)):
                return Outcome(False, status, now - started, now, history)
            if now - started > timeout:
                return Outcome(False, 'still %s (bound %ss)' % (last, timeout),
                               now - started, now, history)
            time.sleep(POLL)

    def assertConverged(self, outcome: Outcome, what: str) -> None:
        if not outcome.converged:
            self.fail('%s did not converge: %s' % (what, outcome.describe()))

    def assertClean(self, audit: bookkeeping.Audit, what: str) -> None:
        self.assertEqual([], audit.problems(), what)

    def audit_converged(self, identifier: str, replaced=frozenset(),
                        names: set | None = None) -> bookkeeping.Audit:
        """The ledger against the API (``names``: of the template, by
        default the workload's)."""
        return bookkeeping.audit_converged(
            self.ledger, self.stack_id(identifier), self.listed(identifier),
            workload.names() if names is None else names, replaced)

    def audit_deleted(self, identifier: str) -> bookkeeping.Audit:
        audit = bookkeeping.audit_deleted(self.ledger,
                                          self.stack_id(identifier))
        rows = self.deployment.db.resources_of_stack(
            self.stack_id(identifier))
        audit.unexpected_rows = sorted(row['name'] for row in rows)
        return audit

    def wait_for_engines_holding(self, identifier: str, count: int,
                                 timeout: float = 30) -> set:
        """Wait until rows of the stack are locked by ``count`` engines."""
        stack_id = self.stack_id(identifier)

        def holders():
            engines = {row['engine_id'] for row in
                       self.deployment.db.resources_of_stack(stack_id)
                       if row['engine_id']}
            return engines if len(engines) >= count else None
        return waiting.wait_until(
            holders, timeout, 'rows of %s locked by %d engines'
            % (identifier, count), interval=0.1)
