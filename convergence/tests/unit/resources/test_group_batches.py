"""The batch plan of a group's update policy (pure): Heat's arithmetic."""

import testtools

from convergence.resources import group_batches as batches


class TestBatches(testtools.TestCase):

    def test_a_rolling_update_keeps_the_size_and_changes_a_batch_each(self):
        self.assertEqual([(10, 3), (10, 3), (10, 3), (10, 1)],
                         batches.batches(10, 10, 3, 1))

    def test_scaling_down_shrinks_first(self):
        self.assertEqual([(6, 3), (6, 3)], batches.batches(6, 10, 3, 1))

    def test_scaling_up_grows_first(self):
        self.assertEqual([(12, 3)] * 4, batches.batches(12, 10, 3, 1))

    def test_min_in_service_adds_spare_members_until_the_end(self):
        self.assertEqual([(12, 4), (12, 4), (12, 4), (10, 0)],
                         batches.batches(10, 10, 4, 8))
        self.assertEqual([(10, 4), (8, 2), (6, 0)],
                         batches.batches(6, 10, 4, 8))

    def test_min_in_service_is_bounded_by_the_group(self):
        self.assertEqual([(11, 1)] * 11 + [(10, 0)],
                         batches.batches(10, 10, 1, 20))

    def test_a_batch_larger_than_the_group_is_one_batch(self):
        self.assertEqual([(10, 10)], batches.batches(10, 10, 20, 0))

    def test_a_create_adds_a_batch_at_a_time(self):
        self.assertEqual([(2, 2), (4, 2), (5, 1)], batches.batches(5, 0, 2, 0))

    def test_nothing_to_do_is_no_batch(self):
        self.assertEqual([], batches.batches(0, 0, 2, 0))

    def test_more_up_to_date_than_members_is_a_bug(self):
        self.assertRaises(ValueError, batches.next_batch, 3, 2, 3, 1, 0)


class TestChildTimeout(testtools.TestCase):

    def test_the_pauses_are_taken_out_of_the_stack_timeout(self):
        # 600 s less one pause of 1 s, in whole minutes rounded up.
        self.assertEqual(10, batches.child_timeout(2, 1, 600))
        self.assertEqual(9, batches.child_timeout(3, 30, 600))

    def test_one_batch_has_no_pause(self):
        self.assertEqual(1, batches.child_timeout(1, 1000, 60))

    def test_pauses_that_fill_the_timeout_are_refused(self):
        ex = self.assertRaises(ValueError, batches.child_timeout, 3, 30, 60)
        self.assertEqual(batches.TIMEOUT_MESSAGE, str(ex))


def _old(count):
    return [(str(i), {'v': 'old'}) for i in range(count)]


def _values(chosen):
    return [(name, d['v']) for name, d in sorted(chosen,
                                                 key=lambda m: int(m[0]))]


def _new(name):
    return {'v': 'new'}


class TestMembers(testtools.TestCase):

    def test_the_highest_names_change_first(self):
        chosen = batches.members(_old(4), ['0', '1', '2', '3'], 4, 4, 2,
                                 _new)
        self.assertEqual([('0', 'old'), ('1', 'old'), ('2', 'new'),
                          ('3', 'new')], _values(chosen))

    def test_members_already_changed_do_not_count(self):
        existing = _old(2) + [('2', {'v': 'new'}), ('3', {'v': 'new'})]
        chosen = batches.members(existing, ['0', '1', '2', '3'], 4, 4, 1,
                                 _new)
        self.assertEqual([('0', 'old'), ('1', 'new'), ('2', 'new'),
                          ('3', 'new')], _values(chosen))

    def test_names_beyond_the_size_go_first(self):
        chosen = batches.members(_old(5), ['0', '1', '2'], 3, 3, 1, _new)
        self.assertEqual([('0', 'old'), ('1', 'old'), ('2', 'new')],
                         _values(chosen))

    def test_spare_members_beyond_the_target_are_not_changed(self):
        # Target 2, size 3 to keep members in service: "2" stays as it is.
        chosen = batches.members(_old(3), ['0', '1', '2'], 2, 3, 2, _new)
        self.assertEqual([('0', 'new'), ('1', 'new'), ('2', 'old')],
                         _values(chosen))

    def test_new_members_take_the_unused_names(self):
        chosen = batches.members(_old(2), ['0', '1', '2', '3'], 4, 4, 2,
                                 _new)
        self.assertEqual([('0', 'old'), ('1', 'old'), ('2', 'new'),
                          ('3', 'new')], _values(chosen))

    def test_a_size_of_zero_has_no_member(self):
        self.assertEqual([], batches.members(_old(3), [], 0, 0, 0, _new))
