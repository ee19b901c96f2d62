"""The five lists of an update preview, from names and a decision rule."""

import testtools

from convergence import exceptions
from convergence.engine import preview_changes as changes

ADDED, DELETED, REPLACED, UPDATED, UNCHANGED = (
    changes.ADDED, changes.DELETED, changes.REPLACED, changes.UPDATED,
    changes.UNCHANGED)


class Decisions:
    """A ``decide`` answering from a table, recording what it was told."""

    def __init__(self, verdicts: dict):
        self.verdicts = verdicts
        self.asked: list[tuple[str, frozenset]] = []

    def __call__(self, name: str, renewed: frozenset) -> str:
        self.asked.append((name, renewed))
        return self.verdicts[name]


class ClassifyTest(testtools.TestCase):

    def test_names_only_one_side_has_are_added_or_deleted_undecided(self):
        decide = Decisions({'keep': UNCHANGED})
        found = changes.classify(['old', 'keep'], ['keep', 'new'], {},
                                 decide)
        self.assertEqual({ADDED: ['new'], DELETED: ['old'], REPLACED: [],
                          UPDATED: [], UNCHANGED: ['keep']}, found)
        self.assertEqual(['keep'], [name for name, _ in decide.asked])

    def test_every_list_is_there_for_an_empty_stack_and_goal(self):
        self.assertEqual({c: [] for c in changes.CHANGES},
                         changes.classify([], [], {}, Decisions({})))

    def test_lists_keep_the_goals_order_and_deleted_the_stacks(self):
        decide = Decisions({'c': UPDATED, 'a': UPDATED, 'b': UPDATED})
        found = changes.classify(['z', 'c', 'y', 'a', 'b', 'z'],
                                 ['c', 'a', 'b'], {'c': {'b'}, 'a': {'c'}},
                                 decide)
        self.assertEqual(['c', 'a', 'b'], found[UPDATED])
        self.assertEqual(['z', 'y'], found[DELETED])

    def test_a_name_is_decided_after_all_it_requires(self):
        decide = Decisions(dict.fromkeys('abcd', UNCHANGED))
        changes.classify('abcd', ['d', 'c', 'b', 'a'],
                         {'d': {'c', 'b'}, 'c': {'a'}, 'b': {'a'}}, decide)
        order = [name for name, _ in decide.asked]
        self.assertEqual('a', order[0])
        self.assertEqual('d', order[-1])

    def test_decide_is_told_which_requirements_get_a_new_resource(self):
        # a is replaced, n is new, u is updated in place: only the first
        # two change what their dependants read.
        decide = Decisions({'a': REPLACED, 'u': UPDATED, 'x': UNCHANGED,
                            'y': UNCHANGED})
        changes.classify(['a', 'u', 'x', 'y'], ['a', 'n', 'u', 'x', 'y'],
                         {'x': {'a', 'n', 'u'}, 'y': {'u'}}, decide)
        told = dict(decide.asked)
        self.assertEqual(frozenset({'a', 'n'}), told['x'])
        self.assertEqual(frozenset(), told['y'])
        self.assertEqual(frozenset(), told['a'])

    def test_a_row_that_never_got_a_resource_may_be_decided_added(self):
        decide = Decisions({'a': ADDED, 'b': UNCHANGED})
        found = changes.classify(['a', 'b'], ['a', 'b'], {'b': {'a'}},
                                 decide)
        self.assertEqual(['a'], found[ADDED])
        self.assertEqual(frozenset({'a'}), dict(decide.asked)['b'])

    def test_requirements_outside_the_goal_are_ignored(self):
        decide = Decisions({'a': UNCHANGED})
        found = changes.classify(['a', 'gone'], ['a'], {'a': {'gone'}},
                                 decide)
        self.assertEqual(['a'], found[UNCHANGED])

    def test_a_verdict_that_is_no_change_is_refused(self):
        for verdict in (DELETED, 'replace', None):
            self.assertRaises(ValueError, changes.classify, ['a'], ['a'],
                              {}, Decisions({'a': verdict}))

    def test_a_requirement_loop_is_a_circular_dependency(self):
        self.assertRaises(exceptions.CircularDependencyException,
                          changes.classify, [], ['a', 'b'],
                          {'a': {'b'}, 'b': {'a'}}, Decisions({}))
