"""The ``convergence`` CLI (apply, watch, graph) against a real server."""

import os
import shutil
import tempfile

import yaml

from functional_tests import base
from functional_tests import cli
from functional_tests import templates


class ConvergenceCliTest(cli.ConvergenceCliMixin, base.FunctionalTestCase):
    """``convergence --os-auth-type none --os-endpoint URL ...``."""

    def setUp(self):
        super().setUp()
        self.dir = tempfile.mkdtemp(prefix='conv-w-cli-')
        self.addCleanup(shutil.rmtree, self.dir, True)

    def template(self, text: str, name: str = 't.yaml') -> str:
        path = os.path.join(self.dir, name)
        with open(path, 'w') as out:
            out.write(text)
        return path

    def assertExit(self, code: int, result) -> None:
        self.assertEqual(code, result.returncode,
                         result.stdout + result.stderr)

    def test_apply_creates_then_updates_after_showing_the_diff(self):
        name = self.stack_name()
        path = self.template(templates.two_tests(create_wait=1))
        created = self.convergence('apply', '-t', path, name)
        self.assertExit(0, created)
        lines = created.stdout.splitlines()
        self.assertTrue(lines[0].startswith('creating %s (' % name), lines)
        self.assertIn('test1: CREATE_IN_PROGRESS', created.stdout)
        self.assertIn('test2: CREATE_COMPLETE', created.stdout)
        self.assertIn('%s CREATE_COMPLETE after' % name, created.stdout)
        self.assertEqual('2 resources: 2 done, 0 in flight, 0 waiting, '
                         '0 failed', lines[-1])
        self.assertEqual('CREATE_COMPLETE', self.stack_status(name))

        changed = templates.two_tests(update_replace=True)
        updated = self.convergence('apply', '-t', self.template(changed),
                                   '--parameter', 'foo=two', name)
        self.assertExit(0, updated)
        out = updated.stdout
        self.assertIn('~ parameter foo: one -> two', out)
        self.assertIn('-/+ test1 (OS::Heat::TestResource)', out)
        self.assertIn('    -    update_replace: false\n'
                      '    +    update_replace: true\n', out)
        self.assertIn('~ test2 (OS::Heat::TestResource)', out)
        self.assertLess(out.index('0 unchanged'), out.index('updating '))
        self.assertIn('test1: CREATE_COMPLETE', out)   # its replacement
        self.assertIn('%s UPDATE_COMPLETE after' % name, out)
        self.assertEqual({'out1': 'two', 'out2': 'two'}, self.outputs(name))

    def test_a_failed_update_exits_non_zero_with_the_reasons(self):
        name = self.stack_name()
        self.create_stack(templates.two_tests(), name=name)
        failing = self.convergence('apply', '-t', self.template(
            templates.two_tests(fail=True)), name)
        self.assertExit(1, failing)
        out = failing.stdout
        self.assertIn('%s UPDATE_FAILED after' % name, out)
        self.assertIn('failed resources:', out)
        self.assertIn('  test1: UPDATE_FAILED - ', out)
        self.assertIn('Test Resource failed test1', out)

        watched = self.convergence('watch', name)
        self.assertExit(1, watched)
        self.assertIn('%s UPDATE_FAILED (no operation in progress)' % name,
                      watched.stdout)

    def test_watch_follows_an_operation_begun_elsewhere(self):
        identifier = self.create_stack(templates.two_tests(update_wait=3))
        self.update_stack(identifier, parameters={'foo': 'slow'},
                          existing=True, expected=None)
        self.wait_for_resource_status(identifier, 'test1',
                                      'UPDATE_IN_PROGRESS')
        watched = self.convergence('watch', identifier.split('/')[0])
        self.assertExit(0, watched)
        lines = watched.stdout.splitlines()
        self.assertIn('test1: UPDATE_IN_PROGRESS', lines[0])
        self.assertIn('test2: UPDATE_COMPLETE', watched.stdout)
        self.assertNotIn('\x1b', watched.stdout)   # no terminal, no bars
        self.assertIn('UPDATE_COMPLETE after', watched.stdout)

    def test_graph_as_dot_and_svg(self):
        identifier = self.create_stack(templates.two_tests())
        name, stack_id = identifier.split('/')
        drawn = self.convergence('graph', name, '--format', 'dot')
        self.assertExit(0, drawn)
        self.assertIn('"%s/test2" -> "%s/test1";' % (stack_id, stack_id),
                      drawn.stdout)
        self.assertIn('"%s/test1" [label="test1\\nCREATE_COMPLETE", '
                      'fillcolor="#8fd18f"' % stack_id, drawn.stdout)
        if shutil.which('dot') is None:
            self.skipTest('graphviz\'s dot is not installed (apt-get install '
                          'graphviz)')
        svg = os.path.join(self.dir, 'g.svg')
        self.assertExit(0, self.convergence('graph', name, '-o', svg))
        with open(svg) as drawn_svg:
            picture = drawn_svg.read()
        self.assertIn('<svg', picture)
        self.assertIn('CREATE_COMPLETE', picture)
        self.assertIn('fill="#8fd18f"', picture)

    def test_svg_without_graphviz_names_what_is_missing(self):
        identifier = self.create_stack(templates.two_tests())
        # a PATH with no dot on it
        result = self.convergence(
            'graph', identifier.split('/')[0], '--format', 'svg',
            env=cli.environment_without_os(PATH=self.dir))
        self.assertExit(2, result)
        self.assertIn('graphviz\'s "dot" program, which is not installed',
                      result.stderr)

    def test_a_cloud_from_clouds_yaml(self):
        identifier = self.create_stack(templates.two_tests())
        clouds = self.template(yaml.safe_dump({'clouds': {'here': {
            'auth_type': 'none', 'auth': {'endpoint': self.endpoint}}}}),
            'clouds.yaml')
        result = self.convergence(
            '--os-cloud', 'here', 'watch', identifier.split('/')[0],
            auth=False,
            env=cli.environment_without_os(OS_CLIENT_CONFIG_FILE=clouds))
        self.assertExit(0, result)
        self.assertIn('CREATE_COMPLETE (no operation in progress)',
                      result.stdout)

    def test_os_environment_variables_and_unknown_stacks(self):
        result = self.convergence(
            'watch', 'no-such-stack', auth=False,
            env=cli.environment_without_os(OS_AUTH_TYPE='none',
                                           OS_ENDPOINT=self.endpoint))
        self.assertExit(2, result)
        self.assertEqual('convergence: Stack no-such-stack not found\n',
                         result.stderr)
