"""What the CLI prints: bars, change lines, summaries, the preview diff."""

import testtools

from convergence import stack_graph
from convergence.cli import render
from convergence.tests.unit.cli import views as v


def counts(done=0, in_flight=0, waiting=0, failed=0) -> dict:
    return {'done': done, 'in_flight': in_flight, 'waiting': waiting,
            'failed': failed}


class BarTest(testtools.TestCase):

    def test_each_state_gets_its_share_of_the_width(self):
        self.assertEqual(
            '[#####>>...!] 5 done, 2 in flight, 3 waiting, 1 failed',
            render.bar(counts(5, 2, 3, 1), width=11))

    def test_shares_are_rounded_to_fill_the_width_exactly(self):
        text = render.bar(counts(1, 1, 1), width=10)
        self.assertEqual('[###>>>>...]', text.split(' ')[0])

    def test_an_empty_stack_shows_an_empty_bar(self):
        self.assertEqual('[    ] 0 done, 0 in flight, 0 waiting, 0 failed',
                         render.bar(counts(), width=4))

    def test_one_bar_per_level_and_a_total_for_several(self):
        graph = stack_graph.build(v.stack('CREATE_IN_PROGRESS'),
                                  v.nested_tree())
        lines = render.level_bars(graph)
        self.assertEqual(['level 0 ', 'level 1 ', 'total   '],
                         [line[:8] for line in lines])
        self.assertTrue(lines[2].endswith(
            '2 done, 2 in flight, 1 waiting, 0 failed'), lines[2])


class ChangesTest(testtools.TestCase):

    def graph(self, two='CREATE_IN_PROGRESS', status='CREATE_IN_PROGRESS'):
        return stack_graph.build(v.stack(status), v.nested_tree(two))

    def test_a_watch_begun_midway_shows_what_is_in_flight(self):
        self.assertEqual(
            [('inner', 'CREATE_IN_PROGRESS', ''),
             ('inner.two', 'CREATE_IN_PROGRESS', '')],
            render.changes(None, self.graph()))

    def test_then_each_status_that_changed(self):
        self.assertEqual(
            [('inner.two', 'CREATE_FAILED', 'boom')],
            render.changes(self.graph(), self.graph('CREATE_FAILED')))

    def test_a_failure_line_gives_the_reason(self):
        self.assertEqual('[   3.2s] inner.two: CREATE_FAILED - boom',
                         render.change_line(3.21, 'inner.two',
                                            'CREATE_FAILED', 'boom'))
        self.assertEqual('[  12.0s] a: CREATE_COMPLETE',
                         render.change_line(12, 'a', 'CREATE_COMPLETE', ''))


class SummaryTest(testtools.TestCase):

    def test_success_gives_status_duration_and_counts(self):
        graph = stack_graph.build(v.stack('CREATE_COMPLETE'), [
            v.resource('a', 'CREATE_COMPLETE', required_by=['b']),
            v.resource('b', 'CREATE_COMPLETE')])
        self.assertEqual(['web CREATE_COMPLETE after 7.5s',
                          '2 resources: 2 done, 0 in flight, 0 waiting, '
                          '0 failed'], render.summary(graph, 7.5))

    def test_failure_gives_the_reason_and_the_failed_resources(self):
        graph = stack_graph.build(
            v.stack('CREATE_FAILED', reason='Resource CREATE failed: boom'),
            v.nested_tree('CREATE_FAILED'))
        self.assertEqual(
            ['web CREATE_FAILED after 2.0s',
             '5 resources: 2 done, 1 in flight, 1 waiting, 1 failed',
             'reason: Resource CREATE failed: boom',
             'failed resources:',
             '  inner.two: CREATE_FAILED - boom'],
            render.summary(graph, 2.0))

    def test_a_finished_stack_says_no_operation_is_in_progress(self):
        graph = stack_graph.build(v.stack('CREATE_COMPLETE'), [])
        self.assertEqual('web CREATE_COMPLETE (no operation in progress)',
                         render.summary(graph, None)[0])

    def test_a_rollback_is_a_failed_operation(self):
        self.assertTrue(render.succeeded('UPDATE_COMPLETE'))
        self.assertFalse(render.succeeded('ROLLBACK_COMPLETE'))
        self.assertFalse(render.succeeded('UPDATE_FAILED'))
        self.assertFalse(render.succeeded('UPDATE_IN_PROGRESS'))


class PreviewTest(testtools.TestCase):

    old = {'resources': {'a': {'type': 'T', 'properties': {'value': 'x'}},
                         'gone': {'type': 'T'}}}
    new = {'resources': {'a': {'type': 'T', 'properties': {'value': 'y'}},
                         'b': {'type': 'T'}}}

    def test_marks_per_change_and_the_definition_diff(self):
        changes = {'added': [{'resource_name': 'b', 'resource_type': 'T'}],
                   'updated': [{'resource_name': 'a', 'resource_type': 'T'}],
                   'deleted': [{'resource_name': 'gone',
                                'resource_type': 'T'}],
                   'replaced': [], 'unchanged': [{'resource_name': 'c'}]}
        self.assertEqual(
            ['+ b (T)',
             '~ a (T)',
             '    --- current', '    +++ new', '    @@ -2,3 +2,3 @@',
             '       properties:', '    -    value: x', '    +    value: y',
             '       type: T',
             '- gone (T)',
             '1 unchanged'],
            render.preview(changes, self.old, self.new))

    def test_no_change_says_so(self):
        self.assertEqual(['no resource changes', '2 unchanged'],
                         render.preview({'unchanged': [{}, {}]}, self.old,
                                        self.old))

    def test_only_parameters_given_and_changed_are_shown(self):
        self.assertEqual(['~ parameter greeting: hello -> bye',
                          '~ parameter new: (unset) -> 1'],
                         render.parameter_changes(
                             {'greeting': 'hello', 'same': 's'},
                             {'greeting': 'bye', 'same': 's', 'new': '1'}))

    def test_a_hidden_parameters_value_is_never_printed(self):
        self.assertEqual(['~ parameter password: ****** (hidden)'],
                         render.parameter_changes({'password': '******'},
                                                  {'password': 'secret'}))
