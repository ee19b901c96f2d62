"""OS::Heat::Stack on the in-memory orchestration API: what reaches the
remote Heat, the waits on its status, updates, attributes and the
validation that asks the requesting user's cloud."""

import testtools

from convergence.clients import memory
from convergence.clients import validation
from convergence.exceptions import StackValidationFailed
from convergence.resources.base import IN_PLACE, REPLACE
from convergence.resources.remote_stack import RemoteStack
from convergence.tests.unit.resources.neutron.fixtures import OnCloud
from convergence.tests.unit.resources.utils import SHORT_ID, validated

TYPE = 'OS::Heat::Stack'
REMOTE = '''heat_template_version: 2013-05-23
parameters:
  length: {type: number, default: 8}
resources:
  random1:
    type: OS::Heat::RandomString
outputs:
  remote_key:
    value: {get_attr: [random1, value]}
'''


def props(**extra) -> dict:
    return dict({'context': {'region_name': 'RegionOne'},
                 'template': REMOTE}, **extra)


class RemoteStackTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.on = OnCloud()
        self.on.cloud = memory.InMemoryCloud(
            services=('identity', 'orchestration'))
        self.heat = self.on.cloud.heat

    def created(self, properties: dict):
        res = self.on.plugin(TYPE, properties, 'my_stack')
        res.context.files = {'a.txt': 'A'}
        res.context.environment = {'parameters': {'p': 1},
                                   'parameter_defaults': {'d': 2}}
        from convergence.resources.runner import run_action
        run_action(res, 'CREATE', res.context.clock)
        return res

    def test_a_create_sends_the_stack_and_waits_for_create_complete(self):
        res = self.created(props(parameters={'length': 4}, timeout=5))
        [create] = [c[1] for c in self.heat.calls if c[0] == 'create']
        self.assertEqual('st-my_stack-%s' % SHORT_ID, create['stack_name'])
        self.assertEqual(['random1'], list(create['template']['resources']))
        self.assertEqual(({'a.txt': 'A'}, {'length': 4}, 5, True),
                         (create['files'], create['parameters'],
                          create['timeout_mins'],
                          create['disable_rollback']))
        self.assertEqual(({'length': 4}, {'d': 2}), (
            create['environment']['parameters'],
            create['environment']['parameter_defaults']))
        stack = self.heat.stacks[res.resource_id]
        self.assertEqual('CREATE_COMPLETE', stack['stack_status'])
        shows = [c for c in self.heat.calls if c[0] == 'show']
        self.assertEqual(2, len(shows))  # in progress, then complete
        self.assertEqual([('RegionOne', None, False)] * 3,
                         self.on.cloud.orchestration_clients)

    def test_outputs_and_stack_name_are_the_remote_stacks(self):
        res = self.created(props())
        self.heat.set_outputs(res.resource_id, {'remote_key': 'x' * 32})
        self.assertEqual({'remote_key': 'x' * 32},
                         res.get_attribute('outputs'))
        self.assertEqual('st-my_stack-%s' % SHORT_ID,
                         res.get_attribute('stack_name'))
        self.assertEqual(res.resource_id, res.get_reference_id())

    def test_a_failed_remote_create_fails_with_its_reason(self):
        self.heat.fail_next('Resource CREATE failed: boom')
        res = self.on.plugin(TYPE, props(), 'my_stack')
        self.assertEqual(
            'ResourceInError: resources.my_stack: Went to status '
            'CREATE_FAILED due to "Resource CREATE failed: boom"',
            self.on.failure(res, 'CREATE'))

    def test_every_update_reaches_the_remote_stack_a_region_replaces(self):
        res = self.created(props())
        res, plan = self.on.updated_as_engine(res, props())
        self.assertEqual(IN_PLACE, plan.decision)
        changed = REMOTE.replace('random1', 'random2')
        res, plan = self.on.updated_as_engine(res, props(template=changed))
        self.assertEqual(IN_PLACE, plan.decision)
        stack = self.heat.stacks[res.resource_id]
        self.assertEqual(('UPDATE_COMPLETE', ['random2']), (
            stack['stack_status'], list(stack['template']['resources'])))
        self.assertEqual(2, len([c for c in self.heat.calls
                                 if c[0] == 'update']))
        self.assertEqual(REPLACE, res.plan_update(validated(TYPE, props(
            context={'region_name': 'RegionTwo'}), 'my_stack')).decision)

    def test_suspend_resume_and_check_are_the_remote_stacks(self):
        res = self.created(props())
        from convergence.resources.runner import run_action
        for action in ('SUSPEND', 'RESUME', 'CHECK'):
            run_action(res, action, res.context.clock)
            self.assertEqual('%s_COMPLETE' % action, self.heat.stacks[
                res.resource_id]['stack_status'])
        self.heat.fail_next('Resource CHECK failed: gone')
        self.assertIn('Went to status CHECK_FAILED due to "Resource CHECK '
                      'failed: gone"', self.on.failure(res, 'CHECK'))

    def test_a_delete_waits_until_gone_and_a_gone_stack_is_deleted(self):
        res = self.created(props())
        from convergence.resources.runner import run_action
        run_action(res, 'DELETE', res.context.clock)
        self.assertEqual({}, self.heat.stacks)
        run_action(res, 'DELETE', res.context.clock)

    def test_the_tls_context_reaches_the_client(self):
        self.created(props(context={'region_name': 'RegionOne',
                                    'ca_cert': 'PEM', 'insecure': True}))
        self.assertEqual(('RegionOne', 'PEM', True),
                         self.on.cloud.orchestration_clients[0])

    def test_a_barbican_credential_is_refused_by_name(self):
        error = self.assertRaises(StackValidationFailed, validated, TYPE,
                                  props(context={
                                      'credential_secret_id': 'abc'}))
        self.assertIn('Property context.credential_secret_id of '
                      'OS::Heat::Stack is not implemented here', str(error))

    def test_a_snapshot_is_refused_by_name(self):
        res = self.created(props())
        self.assertIn('A snapshot of OS::Heat::Stack my_stack is not '
                      'implemented here', self.on.failure(res, 'SNAPSHOT'))


class ValidationTest(testtools.TestCase):
    """Heat's two 400s, asked of the requesting user's cloud."""

    def setUp(self):
        super().setUp()
        self.cloud = memory.InMemoryCloud(
            services=('identity', 'orchestration'))

    def validate(self, properties: dict) -> None:
        values = validated(TYPE, properties, 'my_stack')
        with validation.validating_with(lambda: self.cloud):
            RemoteStack.validate_in_cloud('my_stack', values, {}, {})

    def test_a_region_without_heat_cannot_be_reached(self):
        error = self.assertRaises(StackValidationFailed, self.validate,
                                  props(context={'region_name': 'DARKHOLE'}))
        self.assertEqual(
            'Cannot establish connection to Heat endpoint at region '
            '"DARKHOLE" due to "public endpoint for orchestration service '
            'in DARKHOLE region not found"', str(error))

    def test_an_invalid_template_is_the_remote_heats_400(self):
        error = self.assertRaises(
            StackValidationFailed, self.validate,
            props(template=REMOTE.replace('resources', 'resource')))
        self.assertEqual(
            'Failed validating stack template using Heat endpoint at region '
            '"RegionOne" due to "ERROR: The template section is invalid: '
            'resource"', str(error))

    def test_a_valid_template_in_the_default_region_passes(self):
        self.validate({'template': REMOTE})
        [(_, body)] = self.cloud.heat.calls
        self.assertEqual(['random1'], list(body['template']['resources']))

    def test_noauth_asks_nothing(self):
        values = validated(TYPE, props(context={'region_name': 'DARKHOLE'}))
        RemoteStack.validate_in_cloud('my_stack', values, {}, {})
        self.assertEqual([], self.cloud.heat.calls)
