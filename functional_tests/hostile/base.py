"""The hostile test case: one ``convergence-all``, watched from outside.

The server runs on SQLite, so the test reads every table of its database
directly (``row_counts``) to prove that a rejected request stored nothing,
and samples the server's resident memory from ``/proc`` (``RssSampler``)
while a request is processed.  Requests go out as raw HTTP so that a test
can send bodies no client library would build.
"""

import concurrent.futures
import http.client
import json
import threading
import time

import sqlalchemy as sa

from functional_tests import base
from functional_tests import server as server_mod

# Megabytes of resident memory the server must stay under at every sample.
RSS_LIMIT_MB = 300
# Seconds between two samples of the server's memory.
RSS_INTERVAL = 0.05
# Seconds one hostile request may take before the test gives up on it.
REQUEST_TIMEOUT = 60
# Seconds a small stack may take to be created.
CREATE_TIMEOUT = 30
# The templates' version, the one every hostile template declares.
HOT_VERSION = '2018-08-31'


def _status_mb(pid: int, field: str) -> float:
    """Memory figure ``field`` of /proc/<pid>/status (in kB) in megabytes."""
    with open('/proc/%d/status' % pid) as status:
        for line in status:
            if line.startswith(field + ':'):
                return int(line.split()[1]) / 1024.0
    raise LookupError('process %d reports no %s' % (pid, field))


def rss_mb(pid: int) -> float:
    """Resident memory of process ``pid`` in megabytes (VmRSS)."""
    return _status_mb(pid, 'VmRSS')


def peak_rss_mb(pid: int) -> float:
    """The highest resident memory process ``pid`` has had, in megabytes
    (VmHWM)."""
    return _status_mb(pid, 'VmHWM')


class RssSampler:
    """Samples a process's memory in a thread; ``peak_mb`` is the highest.

    Use as a context manager around the work to watch.
    """

    def __init__(self, pid: int, interval: float = RSS_INTERVAL):
        self.pid = pid
        self.interval = interval
        self.peak_mb = 0.0
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(self.interval)

    def _sample(self) -> None:
        try:
            self.peak_mb = max(self.peak_mb, rss_mb(self.pid))
            self.samples += 1
        except (OSError, LookupError):  # the process is gone
            self._stop.set()

    def __enter__(self) -> 'RssSampler':
        self._sample()
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()


def percentile(values: list[float], fraction: float) -> float:
    """The value below which ``fraction`` of ``values`` lie (nearest rank)."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError('no values')
    rank = min(len(ordered) - 1, max(0, int(round(fraction * len(ordered))) - 1))
    return ordered[rank]


def template(resources: dict | None = None, **sections) -> dict:
    """A HOT template of ``resources`` and any other sections."""
    return dict({'heat_template_version': HOT_VERSION,
                 'resources': resources or {}}, **sections)


class HostileTestCase(base.FunctionalTestCase):
    """Base class: a private ``convergence-all`` on SQLite per test class."""

    @classmethod
    def _start_server(cls):
        cls.server = base.set_up(server_mod.ServerFixture())

    def setUp(self):
        super().setUp()
        self._database = sa.create_engine(self.server.database_url)
        self.addCleanup(self._database.dispose)

    # -- the server from outside ---------------------------------------------

    @property
    def pid(self) -> int:
        return self.server.process.pid

    def rss_mb(self) -> float:
        return rss_mb(self.pid)

    def sampler(self) -> RssSampler:
        return RssSampler(self.pid)

    def assertRssBounded(self, sampler: RssSampler, what: str) -> None:
        print('%s: peak RSS %.0f MB over %d samples'
              % (what, sampler.peak_mb, sampler.samples))
        self.assertLess(sampler.peak_mb, RSS_LIMIT_MB, what)

    def assertAlive(self) -> None:
        self.assertTrue(self.server.alive(), 'the server exited:\n%s'
                        % self.server.log_tail())

    def row_counts(self) -> dict[str, int]:
        """{table: rows} of every table of the server's database."""
        with self._database.connect() as connection:
            tables = sa.inspect(connection).get_table_names()
            return {table: connection.execute(sa.text(
                'SELECT COUNT(*) FROM "%s"' % table)).scalar()
                for table in tables}

    def orphan_rows(self) -> dict[str, int]:
        """Rows that belong to nothing: resources of deleted stacks, joins
        of stacks not in progress, templates neither a stack nor a resource
        points at.  (A deleted stack keeps its row, its last template and
        its events, as in Heat.)"""
        queries = {
            'resource': 'SELECT COUNT(*) FROM resource WHERE stack_id NOT IN '
                        '(SELECT id FROM stack WHERE deleted_at IS NULL)',
            'sync_point': 'SELECT COUNT(*) FROM sync_point WHERE stack_id '
                          'NOT IN (SELECT id FROM stack WHERE status = '
                          "'IN_PROGRESS')",
            'raw_template': 'SELECT COUNT(*) FROM raw_template WHERE id NOT IN '
                            '(SELECT raw_template_id FROM stack WHERE '
                            'raw_template_id IS NOT NULL UNION SELECT '
                            'prev_raw_template_id FROM stack WHERE '
                            'prev_raw_template_id IS NOT NULL UNION SELECT '
                            'current_template_id FROM resource WHERE '
                            'current_template_id IS NOT NULL)',
        }
        with self._database.connect() as connection:
            found = {table: connection.execute(sa.text(query)).scalar()
                     for table, query in queries.items()}
        return {table: count for table, count in found.items() if count}

    def assertNoNewRows(self, before: dict[str, int], what: str) -> None:
        after = self.row_counts()
        grown = {table: after[table] - before.get(table, 0)
                 for table in after if after[table] != before.get(table, 0)}
        self.assertEqual({}, grown, '%s changed rows' % what)

    # -- requests ------------------------------------------------------------

    def post_stack(self, body: dict):
        """POST /stacks with ``body`` as JSON; the raw response."""
        return self.http('POST', '/stacks', data=json.dumps(body),
                         headers={'Content-Type': 'application/json'})

    def put_stack(self, identifier: str, body: dict, patch: bool = False):
        """PUT (or PATCH) /stacks/<name>/<id> with ``body``."""
        return self.http('PATCH' if patch else 'PUT', '/stacks/' + identifier,
                         data=json.dumps(body),
                         headers={'Content-Type': 'application/json'})

    def create_body(self, tmpl, **fields) -> dict:
        """A create request: a fresh name, ``tmpl`` (dict or text)."""
        return dict({'stack_name': self.stack_name(), 'template': tmpl,
                     'disable_rollback': True}, **fields)

    def assertClientError(self, response, what: str) -> None:
        """A 4xx answer, never a 5xx or a success."""
        self.assertTrue(400 <= response.status_code < 500, '%s: %s %s' % (
            what, response.status_code, response.text[:500]))


class RawRequests:
    """JSON requests to ``self.server`` through http.client, which sends a
    path exactly as given (a mixin for a testtools.TestCase)."""

    prefix = '/v1/%s' % server_mod.TENANT
    # Seconds a request may take.
    request_timeout = 30

    def request(self, method: str, path: str, body=None) -> tuple:
        """(response, its JSON body or None); the connection is closed when
        the test ends."""
        conn = http.client.HTTPConnection('127.0.0.1', self.server.port,
                                          timeout=self.request_timeout)
        self.addCleanup(conn.close)
        conn.request(method, path, body=None if body is None else
                     json.dumps(body), headers={
                         'Content-Type': 'application/json',
                         'Accept': 'application/json'})
        resp = conn.getresponse()
        data = resp.read()
        return resp, json.loads(data) if data else None

    def create_and_wait(self, name: str, tmpl: dict) -> str:
        """Create stack ``name`` of ``tmpl`` and wait for CREATE_COMPLETE;
        its path, ``<prefix>/stacks/<name>/<id>``."""
        resp, body = self.request('POST', self.prefix + '/stacks',
                                  {'stack_name': name, 'template': tmpl})
        self.assertEqual(201, resp.status, body)
        path = '%s/stacks/%s/%s' % (self.prefix, name, body['stack']['id'])
        deadline = time.monotonic() + CREATE_TIMEOUT
        while self.request('GET', path)[1]['stack']['stack_status'] != \
                'CREATE_COMPLETE':
            self.assertLess(time.monotonic(), deadline)
            time.sleep(0.2)
        return path


def concurrently(calls: list, workers: int) -> list:
    """Run the argument-less ``calls`` on ``workers`` threads; their results
    (or the exceptions they raised) in order."""
    def outcome(call):
        try:
            return call()
        except Exception as exc:  # the test counts these
            return exc
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        return list(pool.map(outcome, calls))


def timed(call) -> tuple:
    """(seconds, result) of ``call()``."""
    started = time.monotonic()
    result = call()
    return time.monotonic() - started, result
