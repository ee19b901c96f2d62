"""The InstanceGroup family's rolling update plan (pure): Heat's
``_replace`` then ``resize``, with the counts Heat's functional tests
expect; and its PauseTime."""

import testtools

from convergence.resources import group_batches as batches
from convergence.resources import scaling


def outcome(plan, count):
    """(kept, created, removed) once ``plan`` ran on ``count`` members
    that all have an old definition: member_definitions per batch."""
    members = [('m%d' % i, 'old') for i in range(count)]
    fresh = ('n%d' % i for i in range(100))
    for size, changed in plan:
        members = list(scaling.member_definitions(
            members, 'new', size, changed, lambda: next(fresh)))
    before = {'m%d' % i for i in range(count)}
    after = {name for name, _ in members}
    return len(after & before), len(after - before), len(before - after)


class InstanceGroupBatchesTest(testtools.TestCase):

    def test_counts_of_heats_instance_group_tests(self):
        # size 5: (min in service, batch) -> (kept, created, removed)
        for (low, batch), expected in {(1, 3): (5, 0, 0),
                                       (4, 4): (2, 3, 3),
                                       (0, 20): (5, 0, 0),
                                       (20, 2): (3, 2, 2)}.items():
            plan = batches.instance_group_batches(5, 5, 5, batch, low)
            self.assertEqual(expected, outcome(plan, 5), (low, batch))

    def test_counts_of_heats_autoscaling_tests(self):
        for (low, batch), expected in {(1, 3): (10, 0, 0),
                                       (8, 4): (8, 2, 2),
                                       (0, 20): (10, 0, 0),
                                       (20, 1): (9, 1, 1)}.items():
            plan = batches.instance_group_batches(None, 10, 10, batch, low)
            self.assertEqual(expected, outcome(plan, 10), (low, batch))

    def test_new_members_count_as_up_to_date(self):
        # Unlike a ResourceGroup's plan (batches.batches), the members a
        # batch adds to stay in service count: one member stays old.
        self.assertEqual([(8, 4), (5, 1)],
                         batches.instance_group_batches(5, 5, 5, 4, 4))
        self.assertEqual([(8, 4), (8, 4), (5, 0)],
                         batches.batches(5, 5, 4, 4))

    def test_the_target_never_exceeds_the_current_size_then_it_resizes(self):
        self.assertEqual([(3, 2), (3, 1), (6, 0)],
                         batches.instance_group_batches(6, 3, 6, 2, 0))
        # Shrinking: the one batch drops the oldest and changes the rest.
        self.assertEqual([(1, 1)],
                         batches.instance_group_batches(1, 3, 1, 5, 0))

    def test_a_group_at_its_size_after_the_batches_needs_no_resize(self):
        self.assertEqual([(4, 4)],
                         batches.instance_group_batches(4, 4, 4, 9, 0))

    def test_an_empty_group_only_resizes(self):
        self.assertEqual([(3, 0)],
                         batches.instance_group_batches(3, 0, 3, 1, 1))


class PauseSecondsTest(testtools.TestCase):

    def test_hours_minutes_seconds(self):
        self.assertEqual(0, batches.pause_seconds('PT0S'))
        self.assertEqual(3723, batches.pause_seconds('PT1H2M3S'))
        self.assertEqual(120, batches.pause_seconds('PT2M'))

    def test_other_forms_are_refused_with_heats_message(self):
        for text in ('P1D', '5', 'PT1.5S', ''):
            exc = self.assertRaises(ValueError, batches.pause_seconds, text)
            self.assertEqual('Only ISO 8601 duration format of the form '
                             'PT#H#M#S is supported.', str(exc))


class CfnAdjustmentTypesTest(testtools.TestCase):

    def test_the_aws_names_mean_the_same(self):
        for cfn, native in zip(scaling.CFN_ADJUSTMENT_TYPES,
                               scaling.ADJUSTMENT_TYPES):
            self.assertEqual(
                scaling.new_capacity(10, 30, native, 2, 0, 99),
                scaling.new_capacity(10, 30, cfn, 2, 0, 99))
        self.assertEqual(13, scaling.new_capacity(
            10, 30, scaling.CFN_PERCENT_CHANGE_IN_CAPACITY, None, 0, 99))
        self.assertEqual(8, scaling.new_capacity(
            10, -2, scaling.CFN_CHANGE_IN_CAPACITY, None, 0, 99))
        self.assertEqual(0, scaling.new_capacity(
            10, -2, scaling.CFN_EXACT_CAPACITY, None, 0, 99))
