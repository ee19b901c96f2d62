"""The ``openstack stack ...`` CLI end to end (create --wait to delete)."""

import json
import tempfile

from functional_tests import base
from functional_tests import cli
from functional_tests import templates


class OpenStackCliTest(cli.CliMixin, base.FunctionalTestCase):

    def test_create_show_list_events_delete(self):
        with tempfile.NamedTemporaryFile('w', suffix='.yaml') as tmpl:
            tmpl.write(templates.two_tests(create_wait=1))
            tmpl.flush()
            name = self.stack_name()
            self.openstack('stack', 'create', '--wait', '-t', tmpl.name,
                           '--parameter', 'foo=cli', name)

        shown = json.loads(self.openstack('stack', 'show', name, '-f', 'json'))
        self.assertEqual('CREATE_COMPLETE', shown['stack_status'])
        outputs = {o['output_key']: o['output_value']
                   for o in shown['outputs']}
        self.assertEqual({'out1': 'cli', 'out2': 'cli'}, outputs)

        listed = json.loads(self.openstack('stack', 'resource', 'list', name,
                                           '-f', 'json'))
        self.assertEqual({'test1': 'CREATE_COMPLETE',
                          'test2': 'CREATE_COMPLETE'},
                         {r['resource_name']: r['resource_status']
                          for r in listed})

        events = self.openstack('stack', 'event', 'list', name)
        self.assertIn('[%s]: CREATE_COMPLETE' % name, events)
        self.assertIn('[%s.test2]: CREATE_COMPLETE' % name, events)

        self.openstack('stack', 'delete', '--yes', '--wait', name)
        result = self.openstack('stack', 'show', name, check=False)
        self.assertNotEqual(0, result.returncode)
        self.assertIn('not found', (result.stdout + result.stderr).lower())

    def test_resource_type_show_template_and_service_list(self):
        shown = json.loads(self.openstack(
            'orchestration', 'resource', 'type', 'show',
            'OS::Heat::RandomString', '-f', 'json'))
        self.assertEqual(32, shown['properties']['length']['default'])
        self.assertEqual('SUPPORTED', shown['support_status']['status'])
        for kind, version_key in (('hot', 'heat_template_version'),
                                  ('cfn', 'HeatTemplateFormatVersion')):
            generated = json.loads(self.openstack(
                'orchestration', 'resource', 'type', 'show',
                'OS::Heat::TestResource', '--template-type', kind,
                '-f', 'json'))
            self.assertIn(version_key, generated)
        missing = self.openstack('orchestration', 'resource', 'type', 'show',
                                 'OS::Heat::Nope', check=False)
        self.assertNotEqual(0, missing.returncode)
        self.assertIn('Resource type not found: OS::Heat::Nope',
                      missing.stderr)

        services = json.loads(self.openstack(
            'orchestration', 'service', 'list', '-f', 'json'))
        self.assertEqual(['up'], sorted({s['Status'] for s in services}))
        self.assertEqual({'convergence-engine'},
                         {s['Binary'] for s in services})
