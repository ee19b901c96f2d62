"""OS::Heat::TestResource, property by property, on a fake clock."""

import testtools

from convergence import exceptions
from convergence.exceptions import ActionCancelled, ResourceFailure, Timeout
from convergence.resources import test_resource as test_resource_module
from convergence.resources.base import IN_PLACE, NO_CHANGE, REPLACE
from convergence.resources.clock import FakeClock
from convergence.resources.runner import run_action
from convergence.tests.unit.resources.utils import (SHORT_ID, make_resource,
                                                    validated)

TYPE = 'OS::Heat::TestResource'


def test_resource(props=None, clock=None, name='test1'):
    return make_resource(TYPE, props, name=name, clock=clock or FakeClock())


def update(res, **changes):
    """Run an update to the current properties plus ``changes``."""
    new = validated(TYPE, dict(_raw(res), **changes), name=res.name)
    run_action(res, 'UPDATE', res.context.clock, new_properties=new)


def _raw(res):
    return {k: v for k, v in res.properties.items() if v is not None}


def plan(res, **changes):
    new = validated(TYPE, dict(_raw(res), **changes), name=res.name)
    return res.plan_update(new)


class TestCreate(testtools.TestCase):

    def test_create_stores_value_and_physical_name(self):
        res = test_resource({'value': 'one'})
        run_action(res, 'CREATE', res.context.clock)
        self.assertEqual('one', res.get_attribute('output'))
        self.assertEqual('st-test1-' + SHORT_ID, res.resource_id)
        self.assertEqual(res.resource_id, res.get_reference_id())

    def test_default_value(self):
        res = test_resource()
        run_action(res, 'CREATE', res.context.clock)
        self.assertEqual('test_string', res.get_attribute('output'))

    def test_output_is_none_before_create(self):
        self.assertIsNone(test_resource().get_attribute('output'))

    def test_wait_secs_completes_just_after_the_wait(self):
        clock = FakeClock()
        res = test_resource({'wait_secs': 5}, clock)
        run_action(res, 'CREATE', clock)
        self.assertGreater(clock.now(), 5)
        self.assertLess(clock.now(), 5.1)

    def test_zero_wait_completes_at_once(self):
        clock = FakeClock()
        run_action(test_resource({}, clock), 'CREATE', clock)
        self.assertLess(clock.now(), 0.1)

    def test_fail_fails_after_the_wait_without_value_or_id(self):
        clock = FakeClock()
        res = test_resource({'fail': 'true', 'wait_secs': 3}, clock,
                            name='bad')
        exc = self.assertRaises(ResourceFailure, run_action, res, 'CREATE',
                                clock)
        self.assertEqual('ValueError: resources.bad: Test Resource failed '
                         'bad', str(exc))
        self.assertGreater(clock.now(), 3)
        self.assertIsNone(res.resource_id)
        self.assertIsNone(res.get_attribute('output'))

    def test_endless_wait_is_ended_by_cancel(self):
        clock = FakeClock(cancel_at=100)
        res = test_resource({'wait_secs': -1}, clock)
        self.assertRaises(ActionCancelled, run_action, res, 'CREATE', clock)
        self.assertEqual(100, clock.now())
        self.assertEqual({1.0}, set(clock.waits))
        self.assertEqual('test_string', res.get_attribute('output'))

    def test_endless_wait_is_ended_by_timeout(self):
        clock = FakeClock(deadline=30)
        res = test_resource({'wait_secs': -1}, clock)
        self.assertRaises(Timeout, run_action, res, 'CREATE', clock)

    def test_action_wait_secs_overrides_wait_secs_for_create(self):
        clock = FakeClock()
        res = test_resource({'wait_secs': 50,
                             'action_wait_secs': {'create': 2}}, clock)
        run_action(res, 'CREATE', clock)
        self.assertLess(clock.now(), 2.1)

    def test_missing_action_entry_falls_back_to_wait_secs(self):
        clock = FakeClock()
        res = test_resource({'wait_secs': 4,
                             'action_wait_secs': {'delete': 1}}, clock)
        run_action(res, 'CREATE', clock)
        self.assertGreater(clock.now(), 4)


class TestUpdate(testtools.TestCase):

    def created(self, props=None):
        res = test_resource(props)
        run_action(res, 'CREATE', res.context.clock)
        res.context.clock.waits.clear()
        return res, res.context.clock

    def test_new_value_is_stored_at_the_start(self):
        res, clock = self.created({'value': 'one'})
        new = validated(TYPE, {'value': 'two', 'wait_secs': 10})
        res.handle_update(new, {'value': 'two', 'wait_secs': 10})
        self.assertEqual('two', res.get_attribute('output'))

    def test_update_waits_only_when_value_changes(self):
        res, clock = self.created({'value': 'one'})
        start = clock.now()
        update(res, wait_secs=5)
        self.assertLess(clock.now() - start, 0.1)
        update(res, value='two')
        self.assertGreater(clock.now() - start, 5)
        self.assertEqual('two', res.get_attribute('output'))
        self.assertEqual(5, res.properties['wait_secs'])

    def test_update_uses_new_action_wait_secs(self):
        res, clock = self.created({'value': 'one'})
        start = clock.now()
        update(res, value='two', action_wait_secs={'update': 3})
        self.assertGreater(clock.now() - start, 3)
        self.assertLess(clock.now() - start, 3.1)

    def test_empty_new_value_is_not_stored_and_does_not_wait(self):
        res, clock = self.created({'value': 'one', 'wait_secs': 9})
        start = clock.now()
        update(res, value='')
        self.assertEqual('one', res.get_attribute('output'))
        self.assertLess(clock.now() - start, 0.1)

    def test_fail_with_value_change_fails_after_wait_keeping_old_value(self):
        res, clock = self.created({'value': 'one', 'wait_secs': 2})
        start = clock.now()
        exc = self.assertRaises(ResourceFailure, update, res, value='two',
                                fail=True)
        self.assertEqual('ValueError: resources.test1: Test Resource failed '
                         'test1', str(exc))
        self.assertGreater(clock.now() - start, 2)
        self.assertEqual('one', res.get_attribute('output'))

    def test_fail_without_value_change_fails_at_once(self):
        res, clock = self.created({'value': 'one', 'wait_secs': 2})
        start = clock.now()
        self.assertRaises(ResourceFailure, update, res, fail=True)
        self.assertLess(clock.now() - start, 0.1)


class TestDelete(testtools.TestCase):

    def test_delete_waits_with_old_properties_and_ignores_fail(self):
        clock = FakeClock()
        res = test_resource({'fail': True, 'action_wait_secs':
                             {'delete': 3}}, clock)
        self.assertRaises(ResourceFailure, run_action, res, 'CREATE', clock)
        start = clock.now()
        run_action(res, 'DELETE', clock)
        self.assertGreater(clock.now() - start, 3)

    def test_delete_forever_is_cancellable(self):
        clock = FakeClock(cancel_at=10)
        res = test_resource({'action_wait_secs': {'delete': -1}}, clock)
        run_action(res, 'CREATE', clock)
        self.assertRaises(ActionCancelled, run_action, res, 'DELETE', clock)


class TestReplacement(testtools.TestCase):

    def test_update_replace_with_value_change_replaces(self):
        res = test_resource({'value': 'one'})
        run_action(res, 'CREATE', res.context.clock)
        decision = plan(res, value='two', update_replace=True)
        self.assertEqual(REPLACE, decision.decision)
        self.assertEqual(
            'The Resource TestResource "test1" [st-test1-%s] Stack "st" '
            '[%s] requires replacement.' % (SHORT_ID,
                                            res.context.stack_id),
            decision.reason)

    def test_update_replace_without_value_change_updates(self):
        res = test_resource({'value': 'one'})
        self.assertEqual(IN_PLACE,
                         plan(res, update_replace=True).decision)

    def test_value_change_without_update_replace_updates(self):
        res = test_resource({'value': 'one', 'update_replace': True})
        self.assertEqual(IN_PLACE,
                         plan(res, value='two',
                              update_replace=False).decision)

    def test_update_replace_value_change_replaces(self):
        res = test_resource({'update_replace_value': 'a'})
        decision = plan(res, update_replace_value='b')
        self.assertEqual(REPLACE, decision.decision)
        self.assertEqual('The Resource test1 requires replacement.',
                         decision.reason)

    def test_same_properties_no_change(self):
        res = test_resource({'value': 'one', 'fail': 'false'})
        self.assertEqual(NO_CHANGE, plan(res, fail=False).decision)


class TestOtherKnobs(testtools.TestCase):

    def test_attr_wait_secs_slows_attribute_reads(self):
        clock = FakeClock()
        res = test_resource({'attr_wait_secs': 2}, clock)
        run_action(res, 'CREATE', clock)
        clock.waits.clear()
        self.assertEqual('test_string', res.get_attribute('output'))
        self.assertEqual([2], clock.waits)

    def test_constraint_prop_secs_slows_validation(self):
        clock = FakeClock()
        test_resource({'constraint_prop_secs': 4}, clock)
        self.assertEqual([4], clock.waits)

    def test_client_and_entity_names_are_accepted_without_effect(self):
        clock = FakeClock()
        res = test_resource({'client_name': 'nova', 'entity_name': 'servers',
                             'wait_secs': 2}, clock)
        run_action(res, 'CREATE', clock)
        self.assertLess(clock.now(), 2.1)

    def test_check_needs_a_physical_resource(self):
        res = test_resource({'fail': True})
        self.assertRaises(ResourceFailure, run_action, res, 'CHECK',
                          res.context.clock)
        run_action(res, 'UPDATE', res.context.clock,
                   new_properties=validated(TYPE, {}))
        run_action(res, 'CREATE', res.context.clock)
        run_action(res, 'CHECK', res.context.clock)

    def test_all_builtins_are_retry_safe(self):
        self.assertTrue(test_resource().retry_safe)


class TestWaitBounds(testtools.TestCase):
    """Given a wait no clock can keep, when the properties are validated,
    then they are refused; every wait within the bound is accepted."""

    def assertRefused(self, props):
        self.assertRaises(exceptions.StackValidationFailed, validated, TYPE,
                          props)

    def test_infinity_is_refused(self):
        self.assertRefused({'wait_secs': float('inf')})

    def test_nan_is_refused(self):
        self.assertRefused({'wait_secs': float('nan')})

    def test_an_absurd_wait_is_refused(self):
        self.assertRefused({'wait_secs': 1e308})

    def test_absurd_per_action_and_attribute_waits_are_refused(self):
        self.assertRefused({'action_wait_secs': {'delete': 1e308}})
        self.assertRefused({'attr_wait_secs': float('inf')})
        self.assertRefused({'constraint_prop_secs': float('inf')})

    def test_forever_and_the_longest_wait_are_accepted(self):
        self.assertEqual(-1, validated(TYPE, {'wait_secs': -1})['wait_secs'])
        longest = test_resource_module.MAX_WAIT_SECS
        self.assertEqual(longest, validated(
            TYPE, {'wait_secs': longest})['wait_secs'])
