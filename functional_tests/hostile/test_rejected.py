"""Rejected create and update requests: 4xx, no rows, bounded cost.

Every table of the server's database is counted before and after each
request: a refused request stores nothing (not even its template).  The
server's memory is sampled throughout, and an unrelated GET is timed
while the costliest inputs are processed.
"""

import threading

from functional_tests.hostile import base
from functional_tests.hostile import inputs

# Seconds an unrelated GET may take (its 99th percentile) meanwhile.
GET_P99_LIMIT = 1.0
# GETs timed while bombs are sent (at most so many bombs).
GETS_MEASURED = 100
MAX_BOMBS = 2000


def _error_type(response) -> str:
    try:
        return response.json()['error']['type']
    except (ValueError, KeyError, TypeError):
        return '(no Heat error body)'


class UnrelatedGets:
    """GETs of one stack in a thread, timed, while something else runs."""

    def __init__(self, test, identifier: str):
        self.test = test
        self.identifier = identifier
        self.seconds = []
        self.statuses = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            took, response = base.timed(lambda: self.test.http(
                'GET', '/stacks/' + self.identifier))
            self.seconds.append(took)
            self.statuses.append(response.status_code)
            self._stop.wait(0.02)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self._stop.set()
        self._thread.join()


class RejectedRequestsTest(base.HostileTestCase):

    def setUp(self):
        super().setUp()
        self.existing = self.create_stack(
            base.template({'r': {'type': 'OS::Heat::None'}}))

    def assertRefusedWithoutRows(self, send, label: str) -> str:
        """``send()`` answers 4xx and no table changes; what it took."""
        before = self.row_counts()
        took, response = base.timed(send)
        self.assertClientError(response, label)
        self.assertNoNewRows(before, label)
        self.assertAlive()
        return '%d %s in %.3f s' % (response.status_code, _error_type(
            response), took)

    def test_bad_creates_store_nothing(self):
        figures = []
        with self.sampler() as sampler:
            for label, fields in inputs.BAD_ARGUMENTS:
                body = self.create_body(inputs.padded_template(), **fields)
                figures.append((label, self.assertRefusedWithoutRows(
                    lambda: self.post_stack(body), label)))
            for label, fields in inputs.BAD_TEMPLATES:
                fields = dict({'template': inputs.padded_template()},
                              **fields)
                body = self.create_body(fields.pop('template'), **fields)
                figures.append((label, self.assertRefusedWithoutRows(
                    lambda: self.post_stack(body), label)))
        for label, outcome in figures:
            print('create %-36s %s' % (label, outcome))
        self.assertRssBounded(sampler, 'bad creates')

    def test_bad_updates_store_nothing(self):
        figures = []
        with self.sampler() as sampler:
            for patch in (False, True):
                for label, fields in (inputs.BAD_ARGUMENTS
                                      + inputs.BAD_TEMPLATES):
                    body = dict({'template': inputs.padded_template()},
                                **fields)
                    label = '%s %s' % ('PATCH' if patch else 'PUT', label)
                    figures.append((label, self.assertRefusedWithoutRows(
                        lambda: self.put_stack(self.existing, body, patch),
                        label)))
        for label, outcome in figures:
            print('%-42s %s' % (label, outcome))
        self.assertRssBounded(sampler, 'bad updates')
        self.assertEqual('CREATE_COMPLETE', self.stack_status(self.existing))

    def test_an_unrelated_get_is_not_kept_waiting(self):
        costly = [fields for label, fields in inputs.BAD_TEMPLATES
                  if 'bomb' in label or 'deep' in label]
        sent = 0
        with self.sampler() as sampler, \
                UnrelatedGets(self, self.existing) as gets:
            while len(gets.seconds) < GETS_MEASURED and sent < MAX_BOMBS:
                fields = dict({'template': inputs.padded_template()},
                              **costly[sent % len(costly)])
                body = self.create_body(fields.pop('template'), **fields)
                self.assertClientError(self.post_stack(body), 'bomb')
                sent += 1
        p99 = base.percentile(gets.seconds, 0.99)
        print('unrelated GET during %d bombs: %d GETs, p99 %.3f s, max '
              '%.3f s' % (sent, len(gets.seconds), p99, max(gets.seconds)))
        self.assertEqual({200}, set(gets.statuses))
        self.assertGreaterEqual(len(gets.seconds), GETS_MEASURED)
        self.assertLess(p99, GET_P99_LIMIT)
        self.assertRssBounded(sampler, 'bombs with GETs')
