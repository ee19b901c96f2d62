"""Scaling policies resize their group outside any traversal.

Given an engine on the stepped queue (the scenario framework's), a stack of
an OS::Heat::AutoScalingGroup of OS::Heat::None members and two
OS::Heat::ScalingPolicy resources.  Signals are delivered at once
(``sync_call``); the group's child update runs on the queue.
"""

import testtools

from convergence import exceptions
from convergence.tests.scenarios import framework

NAME = 'scaled'


def template(desired=2, group_cooldown=0, policy_cooldown=None):
    policy = {'adjustment_type': 'change_in_capacity',
              'auto_scaling_group_id': {'get_resource': 'asg'}}
    if policy_cooldown is not None:
        policy['cooldown'] = policy_cooldown
    return {'heat_template_version': '2015-10-15', 'resources': {
        'asg': {'type': 'OS::Heat::AutoScalingGroup', 'properties': {
            'min_size': 1, 'max_size': 4, 'desired_capacity': desired,
            'cooldown': group_cooldown,
            'resource': {'type': 'OS::Heat::None'}}},
        'up': {'type': 'OS::Heat::ScalingPolicy',
               'properties': dict(policy, scaling_adjustment=1)},
        'down': {'type': 'OS::Heat::ScalingPolicy',
                 'properties': dict(policy, scaling_adjustment=-1)}}}


class ScalingCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.scenario = framework.Scenario(self)
        self.service = self.scenario.engine_service
        self.ctxt = self.scenario.context

    def create(self, tmpl) -> dict:
        self.identity = self.service.create_stack(self.ctxt, NAME, tmpl,
                                                  {}, {}, {})
        self.scenario.run()
        return self.identity

    def signal(self, policy: str, details=None):
        return self.service.resource_signal(self.ctxt, self.identity, policy,
                                            details, sync_call=True)

    def group_row(self) -> dict:
        return [r for r in self.scenario.db.resources_of_stack(
            self.identity['stack_id']) if r['name'] == 'asg'][0]

    def members(self) -> int:
        child = self.group_row()['physical_resource_id']
        return len(self.scenario.db.resources_of_stack(child))

    def stack(self) -> dict:
        return self.scenario.db.stack_get(self.identity['stack_id'])


class ScalingScenarioTest(ScalingCase):

    def test_a_signal_resizes_the_group_and_the_stack_stays(self):
        self.create(template())
        before = self.stack()
        self.signal('up')
        self.assertIsNotNone(self.group_row()['engine_id'])   # awaiting
        self.scenario.run()
        self.assertEqual(3, self.members())
        row = self.group_row()
        self.assertIsNone(row['engine_id'])
        self.assertEqual(('CREATE', 'COMPLETE'), (row['action'],
                                                  row['status']))
        after = self.stack()
        self.assertEqual((before['action'], before['status'],
                          before['current_traversal']),
                         (after['action'], after['status'],
                          after['current_traversal']))

    def test_bounds_hold(self):
        self.create(template(desired=4))
        self.signal('up')                       # already at max_size
        self.assertIsNone(self.group_row()['engine_id'])
        self.assertEqual(4, self.members())

    def test_a_signal_while_the_group_adjusts_is_dropped(self):
        self.create(template())
        self.signal('up')
        self.signal('up')                       # the first still runs
        self.scenario.run()
        self.assertEqual(3, self.members())

    def test_the_policy_cooldown_holds_the_next_signal(self):
        self.create(template(policy_cooldown=600))
        self.signal('up')
        self.scenario.run()
        self.signal('up')
        self.scenario.run()
        self.assertEqual(3, self.members())
        self.signal('down')                     # its own cooldown is over,
        self.scenario.run()                     # the group's is not
        self.assertEqual(3, self.members())

    def test_a_stack_update_takes_the_adjustment_over(self):
        self.create(template())
        self.signal('up')
        self.service.update_stack(self.ctxt, self.identity,
                                  template(desired=1), {}, {}, {})
        self.scenario.run()
        self.assertEqual(1, self.members())
        self.assertEqual(('UPDATE', 'COMPLETE'), (self.stack()['action'],
                                                  self.stack()['status']))
        self.assertIsNone(self.group_row()['engine_id'])

    def test_an_unknown_group_is_named(self):
        tmpl = template()
        tmpl['resources']['up']['properties']['auto_scaling_group_id'] = 'x'
        self.create(tmpl)
        exc = self.assertRaises(exceptions.ResourceFailure, self.signal, 'up')
        self.assertIn('Alarm up could not find scaling group named "x"',
                      str(exc))

    def test_min_adjustment_step_needs_a_percent_change(self):
        tmpl = template()
        tmpl['resources']['up']['properties']['min_adjustment_step'] = 2
        exc = self.assertRaises(exceptions.StackValidationFailed,
                                self.service.create_stack, self.ctxt, NAME,
                                tmpl, {}, {}, {})
        self.assertIn('min_adjustment_step property should only be '
                      'specified for adjustment_type with value '
                      'percent_change_in_capacity.', str(exc))


class Announced:
    """A notifier that keeps what it is asked to announce."""

    def __init__(self):
        self.sent = []

    def autoscaling(self, stack, suffix, details):
        self.sent.append((suffix, details['capacity'], details['message']))


class ScalingNotificationsTest(ScalingCase):
    """The same stack, with a notifier."""

    def test_a_resize_is_announced_at_its_start_and_end(self):
        announced = self.scenario.rt.notifier = Announced()
        self.create(template())
        ref = self.group_row()['physical_resource_id']
        self.signal('up')
        self.scenario.run()
        self.assertEqual(
            [('start', 2, 'Start resizing the group %s' % ref),
             ('end', 3, 'End resizing the group %s' % ref)], announced.sent)
