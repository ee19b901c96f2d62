"""Breakpoint hooks as a user drives them: ``openstack stack hook poll`` and
``openstack stack hook clear`` (python-heatclient's hook helpers, which read
the events and send ``unset_hook`` signals), and a pause that outlives the
engines that were running when it began.
"""

import json
import os

import testtools
from heatclient import exc as heat_exc

from functional_tests import base
from functional_tests import deployment
from functional_tests import stack_views
from functional_tests import test_cli
from functional_tests import waiting

NESTED = '''heat_template_version: 2018-08-31
resources:
  x: {type: OS::Heat::None}
'''

TEMPLATE = '''heat_template_version: 2018-08-31
resources:
  a: {type: OS::Heat::None}
  b: {type: OS::Heat::None, depends_on: a}
  inner: {type: nested.yaml}
'''

HOOKS = {'resource_registry': {'resources': {
    'a': {'hooks': 'pre-create'},
    'inner': {'x': {'hooks': ['pre-create', 'pre-delete']}}}}}


class HookCliTest(base.FunctionalTestCase):
    """The CLI over python-heatclient against our API."""

    openstack = test_cli.OpenStackCliTest.openstack

    def test_poll_lists_the_paused_resources_and_clear_lets_them_go(self):
        name = self.stack_name()
        identifier = self.create_stack(TEMPLATE, expected=None, name=name,
                                       environment=HOOKS,
                                       files={'nested.yaml': NESTED})
        waiting.wait_until(lambda: len(self.polled(name)) == 2, 60,
                           'a and inner/x paused')
        self.assertEqual({('a', name), ('x', None)},
                         {(r['Resource Name'], r['Stack Name']
                           if r['Stack Name'] == name else None)
                          for r in self.polled(name)})
        self.assertEqual('INIT_COMPLETE',
                         self.resource_statuses(identifier)['a'])
        self.assertEqual('CREATE_IN_PROGRESS', self.stack_status(identifier))
        self.openstack('stack', 'hook', 'clear', '--pre-create', name, 'a',
                       'inner/x')
        self.wait_for_status(identifier, 'CREATE_COMPLETE')
        self.assertIn('Hook pre-create is cleared',
                      [e.resource_status_reason
                       for e in self.events(identifier, 'a')])

        # inner/x stops again before its delete, only while the stack is
        # being deleted.
        self.client.stacks.delete(identifier)
        waiting.wait_until(lambda: len(self.polled(name)) == 1, 60,
                           'inner/x paused before its delete')
        self.assertEqual('DELETE_IN_PROGRESS', self.stack_status(identifier))
        self.openstack('stack', 'hook', 'clear', '--pre-delete', name,
                       'inner/x')
        self.wait_for_status(identifier, 'DELETE_COMPLETE')

    def polled(self, name: str) -> list[dict]:
        return json.loads(self.openstack('stack', 'hook', 'poll',
                                         '--nested-depth', '1', name, '-f',
                                         'json'))

    def test_bad_signals_are_refused_as_heat_refuses_them(self):
        identifier = self.create_stack(TEMPLATE, expected=None,
                                       environment=HOOKS,
                                       files={'nested.yaml': NESTED})
        waiting.wait_until(
            lambda: 'CREATE paused until Hook pre-create is cleared' in [
                e.resource_status_reason for e in self.events(identifier,
                                                              'a')],
            60, 'a paused')
        stack_id = identifier.split('/')[1]
        cases = [
            ({'unset_hook': 'pre-lunch'}, 'a', 'InvalidBreakPointHook',
             'Invalid hook type "pre-lunch" for NoneResource "a" Stack "%s" '
             '[%s]' % (identifier.split('/')[0], stack_id)),
            ({'unset_hook': 'pre-update'}, 'a', 'InvalidBreakPointHook',
             'The "pre-update" hook is not defined on NoneResource "a"'),
            ({'go': True}, 'a', 'ResourceActionNotSupported',
             'signal is not supported for resource.')]
        for data, resource, error, message in cases:
            exc = self.assertRaises(heat_exc.HTTPBadRequest,
                                    self.client.resources.signal, identifier,
                                    resource, data=data)
            self.assertEqual(error, exc.error['error']['type'])
            self.assertIn(message, str(exc))
        self.assertRaises(heat_exc.HTTPNotFound, self.client.resources.signal,
                          identifier, 'nope', data={'unset_hook': 'pre-create'})
        # Nothing was cleared by the refused signals.
        self.assertEqual('INIT_COMPLETE',
                         self.resource_statuses(identifier)['a'])
        self.client.resources.signal(identifier, 'a',
                                     data={'unset_hook': 'pre-create'})
        self.assertRaises(heat_exc.HTTPBadRequest,
                          self.client.resources.signal, identifier, 'a',
                          data={'unset_hook': 'pre-create'})


def _backend() -> str:
    """The matrix's database, MariaDB when the matrix runs convergence-all."""
    kind = os.environ.get(deployment.DEPLOYMENT_ENV) or 'all'
    return 'mariadb' if kind == 'all' else kind


class PauseOutlivesEnginesTest(testtools.TestCase, stack_views.HeatHelpers):
    """Given a resource paused with two engines running, when both are
    killed and one new engine starts, then the pause is still there (the
    sweeper neither unlocks nor re-sends it) and a clear finishes the
    stack."""

    def setUp(self):
        super().setUp()
        self.deployment = deployment.Deployment(
            backend=_backend(), engines=2, config={'periodic_interval': 1})
        self.useFixture(self.deployment)
        self.heat = self.deployment.client_for(self)

    def test_clear_after_every_engine_was_killed(self):
        self.heat.stacks.create(
            stack_name='paused', environment=HOOKS,
            template=TEMPLATE.replace('  inner: {type: nested.yaml}\n', ''))
        waiting.wait_until(lambda: self.reasons('a'), 60, 'a paused')
        self.deployment.kill_engine(0)
        self.deployment.kill_engine(1)
        self.deployment.start_engine(0)
        # Three sweeps of the new engine after the old ones' down time.
        waiting.stays(lambda: self.heat.resources.get(
            'paused', 'a').resource_status == 'INIT_COMPLETE', 8,
            'a stays paused')
        self.heat.resources.signal('paused', 'a',
                                   data={'unset_hook': 'pre-create'})
        self.wait_status('paused', 'CREATE_COMPLETE')
        self.assertEqual(
            ['CREATE paused until Hook pre-create is cleared',
             'Hook pre-create is cleared', 'state changed', 'state changed'],
            self.reasons('a', everything=True))

    def reasons(self, resource: str, everything: bool = False) -> list:
        reasons = [e.resource_status_reason for e in self.heat.events.list(
            'paused', sort_dir='asc', filters={'resource_name': resource})]
        return reasons if everything else [
            r for r in reasons if 'paused until' in r]
