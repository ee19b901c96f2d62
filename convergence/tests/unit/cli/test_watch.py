"""Following a stack: the lines printed, the wait for the operation to
start, the outcome; on a terminal and off one."""

import io

import testtools

from convergence import stack_graph
from convergence.cli import watch
from convergence.tests.unit.cli import views as v


class Tty(io.StringIO):
    def isatty(self):
        return True


class Clock:
    """Time that moves only when the watch sleeps."""

    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


def graphs(*steps) -> list[dict]:
    """Graphs of the ``base <- app`` stack, one per (stack status, base
    status, app status, updated time of the stack)."""
    return [stack_graph.build(
        v.stack(status, updated=updated),
        [v.resource('base', base, required_by=['app'],
                    updated='2026-01-01T12:10:01Z'),
         v.resource('app', app, updated='2026-01-01T12:10:02Z',
                    reason='no' if 'FAILED' in app else '')])
        for status, base, app, updated in steps]


class FollowTest(testtools.TestCase):

    def follow(self, sequence, out, before=None):
        clock, answers = Clock(), iter(sequence)
        ok = watch.follow(lambda: next(answers), out, before=before,
                          sleep=clock.sleep, clock=clock)
        return ok, out.getvalue()

    def test_an_update_that_fails_prints_each_change_and_the_failure(self):
        before, *during = graphs(
            ('CREATE_COMPLETE', 'CREATE_COMPLETE', 'CREATE_COMPLETE', None),
            # the PUT has not started the operation yet: not its end
            ('CREATE_COMPLETE', 'CREATE_COMPLETE', 'CREATE_COMPLETE', None),
            ('UPDATE_IN_PROGRESS', 'UPDATE_IN_PROGRESS', 'CREATE_COMPLETE',
             '2026-01-01T12:10:00Z'),
            ('UPDATE_FAILED', 'UPDATE_COMPLETE', 'UPDATE_FAILED',
             '2026-01-01T12:10:00Z'))
        ok, text = self.follow(during, io.StringIO(), before=before)
        self.assertFalse(ok)
        self.assertNotIn('\x1b', text)   # not a terminal: no redrawing
        self.assertEqual(
            ['[   1.0s] base: UPDATE_IN_PROGRESS',
             '[   2.0s] base: UPDATE_COMPLETE',
             '[   2.0s] app: UPDATE_FAILED - no',
             'level 0 [###############!!!!!!!!!!!!!!!] 1 done, 0 in flight, '
             '0 waiting, 1 failed',
             'web UPDATE_FAILED after 2.0s',
             '2 resources: 1 done, 0 in flight, 0 waiting, 1 failed',
             'failed resources:',
             '  app: UPDATE_FAILED - no'], text.splitlines())

    def test_a_create_prints_every_first_status(self):
        ok, text = self.follow(graphs(
            ('CREATE_IN_PROGRESS', 'CREATE_IN_PROGRESS', 'INIT_COMPLETE',
             None),
            ('CREATE_COMPLETE', 'CREATE_COMPLETE', 'CREATE_COMPLETE',
             None)), io.StringIO(), before=watch.NOTHING)
        self.assertTrue(ok)
        self.assertEqual(['[   0.0s] base: CREATE_IN_PROGRESS',
                          '[   0.0s] app: INIT_COMPLETE',
                          '[   1.0s] base: CREATE_COMPLETE',
                          '[   1.0s] app: CREATE_COMPLETE'],
                         text.splitlines()[:4])

    def test_a_terminal_gets_the_bars_redrawn_below_the_lines(self):
        ok, text = self.follow(graphs(
            ('CREATE_IN_PROGRESS', 'CREATE_IN_PROGRESS', 'INIT_COMPLETE',
             None),
            ('CREATE_COMPLETE', 'CREATE_COMPLETE', 'CREATE_COMPLETE',
             None)), Tty())
        first, second = text.split('\x1b[1A\x1b[J')[:2]
        self.assertEqual(['[   0.0s] base: CREATE_IN_PROGRESS',
                          'level 0 [' + '>' * 15 + '.' * 15 + '] 0 done, '
                          '1 in flight, 1 waiting, 0 failed'],
                         first.splitlines())
        self.assertTrue(second.startswith(
            '[   1.0s] base: CREATE_COMPLETE\n'), second)

    def test_watching_a_finished_stack_only_sums_it_up(self):
        ok, text = self.follow(graphs(
            ('CREATE_FAILED', 'CREATE_COMPLETE', 'CREATE_FAILED', None)),
            io.StringIO())
        self.assertFalse(ok)
        self.assertIn('web CREATE_FAILED (no operation in progress)',
                      text.splitlines())
