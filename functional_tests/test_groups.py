"""ResourceGroup, ResourceChain and AutoScalingGroup through
python-heatclient: members in a child stack, attributes read from it,
scaling by update, removal policies, batches (update policies, rolling
updates)."""

import datetime
import time

from heatclient import exc as heat_exc

from functional_tests import base
from functional_tests import waiting

GROUP = '''
heat_template_version: 2015-10-15
parameters:
  count: {type: number, default: 3}
  removed: {type: json, default: []}
  fail: {type: boolean, default: false}
resources:
  group:
    type: OS::Heat::ResourceGroup
    properties:
      count: {get_param: count}
      index_var: __i__
      removal_policies: {get_param: removed}
      resource_def:
        type: OS::Heat::TestResource
        properties:
          value: member-__i__
          fail: {get_param: fail}
outputs:
  refs: {value: {get_attr: [group, refs]}}
  refs_map: {value: {get_attr: [group, refs_map]}}
  values: {value: {get_attr: [group, output]}}
  first: {value: {get_attr: [group, resource.0]}}
  first_value: {value: {get_attr: [group, resource.0.output]}}
  by_member: {value: {get_attr: [group, attributes, output]}}
  removed: {value: {get_attr: [group, removed_rsrc_list]}}
'''

BATCHED = '''
heat_template_version: 2015-10-15
parameters:
  value: {type: string, default: one}
resources:
  group:
    type: OS::Heat::ResourceGroup
    update_policy:
      batch_create: {max_batch_size: 2, pause_time: 3}
      rolling_update: {max_batch_size: 2, min_in_service: 2, pause_time: 3}
    properties:
      count: 4
      resource_def:
        type: OS::Heat::TestResource
        properties:
          value: {get_param: value}
outputs:
  values: {value: {get_attr: [group, output]}}
'''

CHAIN = '''
heat_template_version: 2016-04-08
resources:
  chain:
    type: OS::Heat::ResourceChain
    properties:
      resources: [OS::Heat::TestResource, OS::Heat::TestResource]
      resource_properties: {value: chained}
outputs:
  refs: {value: {get_attr: [chain, refs]}}
  values: {value: {get_attr: [chain, output]}}
'''

SCALING = '''
heat_template_version: 2015-10-15
parameters:
  desired: {type: number, default: 3}
  value: {type: string, default: one}
resources:
  asg:
    type: OS::Heat::AutoScalingGroup
    properties:
      min_size: 1
      max_size: 4
      desired_capacity: {get_param: desired}
      rolling_updates: {max_batch_size: 2}
      resource:
        type: OS::Heat::TestResource
        properties: {value: {get_param: value}}
outputs:
  size: {value: {get_attr: [asg, current_size]}}
  values: {value: {get_attr: [asg, outputs_list, output]}}
  by_member: {value: {get_attr: [asg, outputs, output]}}
  refs: {value: {get_attr: [asg, refs]}}
  oldest: {value: {get_attr: [asg, resource.0]}}
  oldest_value: {value: {get_attr: [asg, resource.0.output]}}
'''


class GroupTest(base.FunctionalTestCase):

    def members(self, stack: str, name: str = 'group') -> dict:
        """{member name: physical id} of the group's child stack."""
        child = self.client.resources.get(stack, name).physical_resource_id
        return {r.resource_name: r.physical_resource_id
                for r in self.client.resources.list(child)}

    def test_create_reads_every_attribute_form(self):
        stack = self.create_stack(GROUP)

        members = self.members(stack)
        self.assertEqual(['0', '1', '2'], sorted(members))
        out = self.outputs(stack)
        self.assertEqual(['member-0', 'member-1', 'member-2'], out['values'])
        self.assertEqual([members[n] for n in '012'], out['refs'])
        self.assertEqual(members, out['refs_map'])
        self.assertEqual(members['0'], out['first'])
        self.assertEqual('member-0', out['first_value'])
        self.assertEqual({'0': 'member-0', '1': 'member-1', '2': 'member-2'},
                         out['by_member'])
        self.assertEqual([], out['removed'])

    def test_scale_up_and_down_keeps_names_and_honours_removals(self):
        stack = self.create_stack(GROUP)
        first = self.members(stack)

        self.update_stack(stack, GROUP, {'count': 5})
        grown = self.members(stack)
        self.assertEqual(['0', '1', '2', '3', '4'], sorted(grown))
        self.assertEqual(first, {n: grown[n] for n in first})

        # Remove "1" by name and "3" by its reference id.
        self.update_stack(stack, GROUP, {'count': 4,
                                         'removed': [{'resource_list': [
                                             '1', grown['3']]}]})
        after = self.members(stack)
        self.assertEqual(['0', '2', '4', '5'], sorted(after))
        self.assertEqual(grown['4'], after['4'])
        self.assertEqual(['1', '3'], self.outputs(stack)['removed'])

        # A removed name is never reused: scaling down drops the highest.
        self.update_stack(stack, GROUP, {'count': 2, 'removed': []})
        self.assertEqual(['0', '2'], sorted(self.members(stack)))
        self.assertEqual(['member-0', 'member-2'],
                         self.outputs(stack)['values'])

    def test_a_failed_member_fails_the_group_and_an_update_mends_it(self):
        stack = self.create_stack(GROUP, {'count': 1})

        self.update_stack(stack, GROUP, {'count': 2, 'fail': True},
                          expected='UPDATE_FAILED')
        reason = self.stack(stack).stack_status_reason
        self.assertIn('resources.group.resources.', reason)
        self.assertEqual('UPDATE_FAILED',
                         self.resource_statuses(stack)['group'])

        self.update_stack(stack, GROUP, {'count': 2})
        self.assertEqual(['member-0', 'member-1'],
                         self.outputs(stack)['values'])

    def test_delete_removes_the_child_stack(self):
        stack = self.create_stack(GROUP)
        child = self.client.resources.get(stack, 'group').physical_resource_id

        self.delete_stack(stack)

        try:
            status = self.client.stacks.get(child).stack_status
        except heat_exc.HTTPNotFound:
            status = 'DELETE_COMPLETE'
        self.assertEqual('DELETE_COMPLETE', status)

    def test_unknown_member_type_is_a_400_naming_it(self):
        """Refused before anything is stored, with the member's path."""
        template = GROUP.replace('type: OS::Heat::TestResource',
                                 'type: OS::No::Such')
        name = self.stack_name()
        ex = self.assertRaises(heat_exc.HTTPBadRequest, self.create_stack,
                               template, name=name)
        self.assertIn('<nested_stack>', str(ex))
        self.assertIn('The Resource Type (OS::No::Such) could not be found',
                      str(ex))
        self.assertRaises(heat_exc.HTTPNotFound, self.client.stacks.get,
                          name)

    def operations(self, child: str) -> list[tuple[str, set]]:
        """The child stack's operations in order: (action, the members
        that began an action during it)."""
        found = []
        for event in self.events(child):
            action, status = event.resource_status.split('_', 1)
            if event.resource_name == self.stack(child).stack_name:
                if status == 'IN_PROGRESS':
                    found.append((action, set(), event.event_time))
            elif status == 'IN_PROGRESS':
                found[-1][1].add(event.resource_name)
        return found

    def test_batches_of_a_create_and_of_a_rolling_update(self):
        """batch_create: the members come two per child operation, a pause
        between; rolling_update: two per operation as well, the highest
        names first, every member updated in place."""
        stack = self.create_stack(BATCHED)
        child = self.client.resources.get(stack, 'group').physical_resource_id
        created = self.operations(child)
        self.assertEqual([('CREATE', {'0', '1'}), ('UPDATE', {'2', '3'})],
                         [op[:2] for op in created])
        self.assertPaused(created)
        before = self.members(stack)

        self.update_stack(stack, BATCHED, {'value': 'two'})
        updated = self.operations(child)[len(created):]
        self.assertEqual([('UPDATE', {'2', '3'}), ('UPDATE', {'0', '1'})],
                         [op[:2] for op in updated])
        self.assertPaused(updated)
        self.assertEqual(before, self.members(stack))
        self.assertEqual(['two'] * 4, self.outputs(stack)['values'])

    def assertPaused(self, operations):
        """Each operation began at least the pause (3 s, to the second)
        after the one before."""
        times = [datetime.datetime.strptime(op[2], '%Y-%m-%dT%H:%M:%SZ')
                 for op in operations]
        for earlier, later in zip(times, times[1:]):
            self.assertGreaterEqual((later - earlier).total_seconds(), 2)

    def test_pauses_beyond_the_timeout_fail_as_heat(self):
        stack = self.create_stack(
            BATCHED.replace('pause_time: 3}', 'pause_time: 90}', 1),
            timeout_mins=1, expected='CREATE_FAILED')
        self.assertEqual(
            'Resource CREATE failed: ValueError: resources.group: The '
            'current update policy will result in stack update timeout.',
            self.stack(stack).stack_status_reason)

    def test_chain_members_in_order(self):
        stack = self.create_stack(CHAIN)

        members = self.members(stack, 'chain')
        self.assertEqual(['0', '1'], sorted(members))
        out = self.outputs(stack)
        self.assertEqual(['chained', 'chained'], out['values'])
        self.assertEqual([members['0'], members['1']], out['refs'])
        child = self.client.resources.get(stack, 'chain').physical_resource_id
        resources = self.client.stacks.template(child)['resources']
        self.assertEqual(['0'], resources['1']['depends_on'])
        self.assertNotIn('depends_on', resources['0'])

    def test_scaling_group_resizes_oldest_first_and_rolls_new_definitions(self):
        stack = self.create_stack(SCALING)
        first = self.members(stack, 'asg')
        self.assertEqual(3, len(first))
        out = self.outputs(stack)
        self.assertEqual(3, out['size'])
        self.assertEqual(['one'] * 3, out['values'])
        self.assertEqual({name: 'one' for name in first}, out['by_member'])
        self.assertEqual(sorted(first.values()), sorted(out['refs']))
        self.assertEqual(out['refs'][0], out['oldest'])

        self.update_stack(stack, SCALING, {'desired': 4})
        grown = self.members(stack, 'asg')
        self.assertEqual(first, {n: grown[n] for n in first})
        self.assertEqual(4, self.outputs(stack)['size'])

        # Shrinking drops the oldest: the last created survives.
        newest = (set(grown) - set(first)).pop()
        self.update_stack(stack, SCALING, {'desired': 1})
        self.assertEqual([newest], list(self.members(stack, 'asg')))

        # A new member definition rolls through the members in batches.
        self.update_stack(stack, SCALING, {'desired': 3, 'value': 'two'})
        self.assertEqual(['two'] * 3, self.outputs(stack)['values'])

    def test_scaling_group_sizes_are_checked(self):
        response = self.http('POST', '/stacks', json={
            'stack_name': self.stack_name(),
            'template': SCALING.replace('max_size: 4', 'max_size: 2')})
        self.assertHeatError(response, 400, 'StackValidationFailed',
                             'DesiredCapacity must be between MinSize and '
                             'MaxSize')


SCALED = '''
heat_template_version: 2015-10-15
parameters:
  cooldown: {type: number, default: 0}
resources:
  asg:
    type: OS::Heat::AutoScalingGroup
    properties:
      cooldown: {get_param: cooldown}
      desired_capacity: 2
      min_size: 1
      max_size: 3
      resource: {type: OS::Heat::RandomString}
  up:
    type: OS::Heat::ScalingPolicy
    properties:
      adjustment_type: change_in_capacity
      auto_scaling_group_id: {get_resource: asg}
      scaling_adjustment: 1
  down:
    type: OS::Heat::ScalingPolicy
    properties:
      adjustment_type: change_in_capacity
      auto_scaling_group_id: {get_resource: asg}
      scaling_adjustment: -1
outputs:
  size: {value: {get_attr: [asg, current_size]}}
'''
# Seconds a signal that asks nothing is given before the group is looked at.
IGNORED_SIGNAL_GRACE = 2


class ScalingPolicyTest(base.FunctionalTestCase):
    """Signals to OS::Heat::ScalingPolicy resize the group, within its
    bounds and outside its cooldown, while the stack stays as it was."""

    def members(self, stack: str) -> list[str]:
        child = self.client.resources.get(stack, 'asg').physical_resource_id
        return [r.resource_name for r in self.client.resources.list(child)
                if r.resource_status in ('CREATE_COMPLETE',
                                         'UPDATE_COMPLETE')]

    def wait_for_size(self, stack: str, size: int) -> list[str]:
        def probe():
            found = self.members(stack)
            child = self.client.resources.get(stack,
                                              'asg').physical_resource_id
            done = (len(found) == size and self.client.stacks.get(
                child).stack_status.endswith('_COMPLETE')
                and self.client.resources.get(
                    stack, 'asg').resource_status.endswith('COMPLETE'))
            return found if done else None
        return waiting.wait_until(probe, base.STACK_TIMEOUT,
                                  'the group to have %d members' % size)

    def test_signals_scale_up_to_max_and_down_to_min(self):
        stack = self.create_stack(SCALED)
        first = self.wait_for_size(stack, 2)

        self.client.resources.signal(stack, 'up')
        grown = self.wait_for_size(stack, 3)
        self.assertEqual(set(first), set(grown) & set(first))
        self.assertEqual(3, self.outputs(stack)['size'])
        self.client.resources.signal(stack, 'up')      # at max_size
        self.assertEqual(3, len(self.wait_for_size(stack, 3)))

        for size in (2, 1, 1):                          # stops at min_size
            self.client.resources.signal(stack, 'down')
            self.wait_for_size(stack, size)
        self.assertEqual('CREATE_COMPLETE', self.stack_status(stack))
        reasons = [e.resource_status_reason for e in self.events(stack, 'up')]
        self.assertIn('No signal details provided', reasons)

    def assertStaysAt(self, stack: str, size: int) -> None:
        """A signal that asks nothing leaves no trace to wait for: the
        group is looked at again once signals have had ample time."""
        time.sleep(IGNORED_SIGNAL_GRACE)
        self.assertEqual(size, len(self.wait_for_size(stack, size)))
        self.assertEqual('CREATE_COMPLETE', self.client.resources.get(
            stack, 'asg').resource_status)

    def test_the_cooldown_drops_signals(self):
        # As Heat: the group's cooldown runs from its creation.
        stack = self.create_stack(SCALED, {'cooldown': 300})
        self.client.resources.signal(stack, 'up')
        self.assertStaysAt(stack, 2)

    def test_an_alarm_that_is_ok_asks_nothing(self):
        stack = self.create_stack(SCALED)
        self.client.resources.signal(stack, 'up', data={'current': 'ok'})
        self.assertStaysAt(stack, 2)

    def test_a_stack_update_wins_over_the_adjusted_size(self):
        stack = self.create_stack(SCALED)
        self.client.resources.signal(stack, 'up')
        self.wait_for_size(stack, 3)
        # desired_capacity is 2 in the template: an update resizes to it.
        self.update_stack(stack, SCALED, {'cooldown': 1})
        self.assertEqual(2, len(self.wait_for_size(stack, 2)))

    def test_alarm_url_needs_heat_api_cfn(self):
        reading_url = SCALED.replace(
            'outputs:\n',
            'outputs:\n  url: {value: {get_attr: [up, alarm_url]}}\n')
        response = self.http('POST', '/stacks', json={
            'stack_name': self.stack_name(), 'template': reading_url})
        self.assertHeatError(response, 400, 'NotSupported',
                             'outputs.url.value.get_attr: The alarm_url '
                             'attribute of OS::Heat::ScalingPolicy (it needs '
                             'heat-api-cfn) is not supported.')
