"""``openstack stack failures list``: the failed resources of a stack, found
by walking down the failed nested stack resources (the client lists each
stack's resources by id and follows their ``nested`` links).  The output
is the same against the reference Heat for these templates.
"""

import os

import fixtures

from functional_tests import base
from functional_tests import cli

FAILING_PROVIDER = '''
heat_template_version: 2016-10-14
resources:
  ok:
    type: OS::Heat::TestResource
  bad:
    type: OS::Heat::TestResource
    properties: {fail: true}
'''
PROVIDER_ONLY = '''
heat_template_version: 2016-10-14
resources:
  fine:
    type: OS::Heat::None
  p:
    type: failing.yaml
'''
GROUP_OF_PROVIDERS = '''
heat_template_version: 2016-10-14
resources:
  g:
    type: OS::Heat::ResourceGroup
    properties:
      count: 1
      resource_def: {type: failing.yaml}
'''


class StackFailuresTest(cli.CliMixin, base.FunctionalTestCase):

    def failing_stack(self, template: str) -> str:
        directory = self.useFixture(fixtures.TempDir()).path
        for file_name, text in (('top.yaml', template),
                                ('failing.yaml', FAILING_PROVIDER)):
            with open(os.path.join(directory, file_name), 'w') as f:
                f.write(text)
        name = self.stack_name()
        self.openstack('stack', 'create', '-t',
                       os.path.join(directory, 'top.yaml'), name)
        self.wait_for_status(name, 'CREATE_FAILED')
        return name

    def test_a_failure_inside_a_provider_template(self):
        name = self.failing_stack(PROVIDER_ONLY)
        self.assertEqual(
            '%s.p.bad:\n'
            '  resource_type: OS::Heat::TestResource\n'
            '  physical_resource_id: \n'
            '  status: CREATE_FAILED\n'
            '  status_reason: |\n'
            '    ValueError: resources.bad: Test Resource failed bad\n'
            % name, self.openstack('stack', 'failures', 'list', name))

    def test_a_failure_two_levels_down_a_group(self):
        name = self.failing_stack(GROUP_OF_PROVIDERS)
        listed = self.openstack('stack', 'failures', 'list', '--long', name)
        self.assertTrue(listed.startswith('%s.g.0.bad:\n' % name), listed)
        self.assertEqual(1, listed.count('status: CREATE_FAILED'))

    def test_a_stack_that_did_not_fail_lists_nothing(self):
        name = self.stack_name()
        self.create_stack('heat_template_version: 2016-10-14\n'
                          'resources: {a: {type: OS::Heat::None}}', name=name)
        self.assertEqual('', self.openstack('stack', 'failures', 'list',
                                            name))
