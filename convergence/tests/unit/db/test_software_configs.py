"""Contract of ports.SoftwareConfigs: configs, deployments, on every
backend."""

import datetime

import testscenarios

from convergence.tests.unit.db import base

load_tests = testscenarios.load_tests_apply_scenarios

DOCUMENT = {'inputs': [], 'outputs': [], 'options': {}, 'config': 'echo'}


class TestSoftwareConfigs(base.DatabaseTestCase):

    def make_config(self, tenant: str = 't', **values) -> str:
        config_id = base.new_id()
        self.db.software_config_create(dict({
            'id': config_id, 'name': 'n', 'group': 'script',
            'config': DOCUMENT, 'tenant': tenant}, **values))
        return config_id

    def make_deployment(self, config_id: str, tenant: str = 't',
                        **values) -> str:
        deployment_id = base.new_id()
        self.assertTrue(self.db.software_deployment_create(dict({
            'id': deployment_id, 'config_id': config_id, 'server_id': 's',
            'input_values': {}, 'tenant': tenant, 'action': 'INIT',
            'status': 'COMPLETE', 'status_reason': ''}, **values)))
        return deployment_id

    def test_a_config_round_trips(self):
        config_id = self.make_config(name='first')
        got = self.db.software_config_get(config_id)
        self.assertEqual(('first', 'script', DOCUMENT, 't'), (
            got['name'], got['group'], got['config'], got['tenant']))
        self.assertIsNotNone(got['created_at'])
        self.assertIsNone(self.db.software_config_get(base.new_id()))

    def test_configs_are_one_tenants_newest_first_after_the_marker(self):
        start = datetime.datetime(2026, 1, 1)
        ids = [self.make_config(created_at=start + datetime.timedelta(
            seconds=i)) for i in range(3)]
        self.make_config(tenant='other')
        self.assertEqual(ids[::-1], [
            c['id'] for c in self.db.software_configs('t')])
        self.assertEqual([ids[2]], [
            c['id'] for c in self.db.software_configs('t', limit=1)])
        self.assertEqual([ids[0]], [
            c['id'] for c in self.db.software_configs('t', marker=ids[1])])

    def test_a_referenced_config_stays(self):
        config_id = self.make_config()
        deployment_id = self.make_deployment(config_id)
        self.assertFalse(self.db.software_config_delete(config_id))
        self.assertIsNotNone(self.db.software_config_get(config_id))
        self.db.software_deployment_delete(deployment_id)
        self.assertTrue(self.db.software_config_delete(config_id))
        self.assertIsNone(self.db.software_config_get(config_id))
        self.assertTrue(self.db.software_config_delete(config_id))

    def test_a_deployment_needs_its_config(self):
        self.assertFalse(self.db.software_deployment_create({
            'id': base.new_id(), 'config_id': base.new_id(),
            'server_id': 's', 'tenant': 't'}))
        self.assertEqual([], self.db.software_deployments('t'))

    def test_deployments_of_a_tenant_or_its_stack_user_project(self):
        config_id = self.make_config()
        own = self.make_deployment(config_id)
        by_project = self.make_deployment(config_id, tenant='u',
                                          stack_user_project_id='t',
                                          server_id='other')
        self.make_deployment(config_id, tenant='u')
        self.assertEqual([own, by_project], [
            d['id'] for d in self.db.software_deployments('t')])
        self.assertEqual([own], [
            d['id'] for d in self.db.software_deployments('t', 's')])

    def test_update_writes_values_unless_the_new_config_is_gone(self):
        config_id = self.make_config()
        deployment_id = self.make_deployment(config_id)
        self.assertTrue(self.db.software_deployment_update(deployment_id, {
            'status': 'FAILED', 'output_values': {'x': 1}}))
        got = self.db.software_deployment_get(deployment_id)
        self.assertEqual(('FAILED', {'x': 1}), (got['status'],
                                                got['output_values']))
        self.assertFalse(self.db.software_deployment_update(
            deployment_id, {'config_id': base.new_id(), 'status': 'X'}))
        self.assertEqual('FAILED', self.db.software_deployment_get(
            deployment_id)['status'])
        self.assertFalse(self.db.software_deployment_update(
            base.new_id(), {'status': 'X'}))
