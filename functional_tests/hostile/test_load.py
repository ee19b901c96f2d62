"""Load: bursts of concurrent creates, GETs, updates and deletes.

One ``convergence-all`` takes 200 concurrent creates, 1,000 GETs, 50
concurrent updates of one stack and 100 concurrent deletes (then the rest
deleted).  Never a 5xx, the process never dies, its memory stays under
``base.RSS_LIMIT_MB`` at every sample, and nothing is left behind.
"""

import random

from functional_tests.hostile import base

CREATES = 200
GETS = 1000
UPDATES = 50
DELETES = 100
# Client threads for the GETs (the other bursts send all at once).
GET_WORKERS = 20
# Seconds every stack may take to settle after a burst, on a busy machine.
SETTLE = 300


def _template(value: str) -> dict:
    return base.template({
        'a': {'type': 'OS::Heat::TestResource',
              'properties': {'value': value}},
        'b': {'type': 'OS::Heat::TestResource',
              'properties': {'value': {'get_attr': ['a', 'output']}}}},
        outputs={'out': {'value': {'get_attr': ['b', 'output']}}})


class LoadTest(base.HostileTestCase):

    def setUp(self):
        super().setUp()
        self.codes = []

    def send(self, calls: list, workers: int) -> list:
        """Run the calls concurrently; every answer's status is kept."""
        results = base.concurrently(calls, workers)
        crashes = [r for r in results if isinstance(r, Exception)]
        self.assertEqual([], crashes[:3], '%d requests failed' % len(crashes))
        self.codes.extend(r.status_code for r in results)
        return results

    def assertNo5xx(self, what: str) -> None:
        errors = [code for code in self.codes if code >= 500]
        self.assertEqual([], errors, what)

    def wait_all(self, identifiers, expected: str) -> None:
        for identifier in identifiers:
            self.wait_for_status(identifier, expected, timeout=SETTLE)

    def test_bursts(self):
        with self.sampler() as sampler:
            stacks = self._creates()
            self._gets(stacks)
            self._updates(stacks[0])
            self._deletes(stacks)
        self.assertNo5xx('responses')
        self.assertAlive()
        self.assertEqual({}, self.orphan_rows())
        print('%d requests: %s' % (len(self.codes), {
            code: self.codes.count(code) for code in sorted(set(self.codes))}))
        self.assertRssBounded(sampler, 'load')

    def _creates(self) -> list[str]:
        bodies = [self.create_body(_template('v%d' % i))
                  for i in range(CREATES)]
        took, results = base.timed(lambda: self.send(
            [lambda b=b: self.post_stack(b) for b in bodies], CREATES))
        self.assertEqual([201] * CREATES, [r.status_code for r in results])
        stacks = ['%s/%s' % (b['stack_name'], r.json()['stack']['id'])
                  for b, r in zip(bodies, results)]
        self.wait_all(stacks, 'CREATE_COMPLETE')
        print('%d concurrent creates answered in %.1f s, RSS now %.0f MB'
              % (CREATES, took, self.rss_mb()))
        return stacks

    def _gets(self, stacks: list[str]) -> None:
        picks = [random.choice(stacks) for _ in range(GETS)]
        timings = []

        def get(identifier):
            took, response = base.timed(
                lambda: self.http('GET', '/stacks/' + identifier))
            timings.append(took)
            return response
        self.send([lambda i=i: get(i) for i in picks], GET_WORKERS)
        print('%d GETs by %d threads: p50 %.3f s, p99 %.3f s, max %.3f s'
              % (GETS, GET_WORKERS, base.percentile(timings, 0.5),
                 base.percentile(timings, 0.99), max(timings)))
        self.assertNo5xx('GETs')

    def _updates(self, identifier: str) -> None:
        bodies = [{'template': _template('u%d' % i)} for i in range(UPDATES)]
        results = self.send([lambda b=b: self.put_stack(identifier, b)
                             for b in bodies], UPDATES)
        accepted = sum(r.status_code == 202 for r in results)
        self.assertNo5xx('updates')
        self.wait_quiet(identifier, timeout=SETTLE)
        status = self.stack_status(identifier)
        print('%d concurrent updates of one stack: %d accepted, the others '
              '%s; the stack ends %s' % (
                  UPDATES, accepted, sorted({r.status_code for r in results
                                             if r.status_code != 202}),
                  status))
        self.assertEqual('UPDATE_COMPLETE', status)

    def _deletes(self, stacks: list[str]) -> None:
        took, results = base.timed(lambda: self.send(
            [lambda s=s: self.http('DELETE', '/stacks/' + s)
             for s in stacks[:DELETES]], DELETES))
        self.assertNo5xx('deletes')
        print('%d concurrent deletes answered in %.1f s: %s' % (
            DELETES, took, sorted({r.status_code for r in results})))
        for identifier in stacks[DELETES:]:
            self.delete_stack(identifier, wait=False)
        self.wait_all(stacks, 'DELETE_COMPLETE')
