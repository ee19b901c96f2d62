"""The hooks: the script hook runs a config with its inputs and collects its
outputs; a component picks its config for the action; any other group is
refused with a result naming it."""

import os

import fixtures
import testtools

from convergence.agent import hooks
from convergence.tests.unit.agent import test_protocol as tp

SCRIPT = '''#!/bin/sh
echo "foo=$foo action=$deploy_action"
echo "to stderr" >&2
printf 'from %s' "$foo" > "$heat_outputs_path.result"
printf '%s' "$PWD" > "$heat_outputs_path.cwd"
exit ${code:-0}
'''


class ScriptHookTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.root = self.useFixture(fixtures.TempDir()).path
        self.workspace = hooks.Workspace(self.root, {'PATH': os.defpath})

    def run_hook(self, config=SCRIPT, inputs=(), outputs=('result', 'cwd')):
        return hooks.run(tp.deployment(
            config=config, inputs=inputs,
            outputs=[{'name': o} for o in outputs]), self.workspace)

    def test_inputs_as_environment_outputs_from_files(self):
        result = self.run_hook(inputs=[tp.inp('foo', 'bar'),
                                       tp.inp('deploy_action', 'UPDATE')])
        self.assertEqual({
            'deploy_stdout': 'foo=bar action=UPDATE\n',
            'deploy_stderr': 'to stderr\n', 'deploy_status_code': 0,
            'result': 'from bar',
            'cwd': os.path.join(self.root, hooks.WORKING_DIR)}, result)

    def test_the_status_code_and_an_undeclared_or_unwritten_output(self):
        result = self.run_hook(inputs=[tp.inp('code', 3)],
                               outputs=('result', 'never_written'))
        self.assertEqual(3, result['deploy_status_code'])
        self.assertNotIn('never_written', result)
        self.assertNotIn('cwd', result)   # written, but not declared

    def test_a_rerun_reports_only_what_it_wrote(self):
        self.run_hook()
        result = self.run_hook(config='#!/bin/sh\nexit 0\n')
        self.assertEqual({'deploy_stdout': '', 'deploy_stderr': '',
                          'deploy_status_code': 0}, result)

    def test_a_script_that_cannot_execute(self):
        result = self.run_hook(config='echo no shebang\n')
        self.assertEqual(hooks.CANNOT_EXECUTE_STATUS,
                         result['deploy_status_code'])
        self.assertIn('cannot execute', result['deploy_stderr'])

    def test_a_config_that_is_not_a_script(self):
        result = self.run_hook(config={'not': 'a script'})
        self.assertEqual(hooks.BAD_CONFIG_STATUS,
                         result['deploy_status_code'])
        self.assertIn('must be a script (a string), not dict',
                      result['deploy_stderr'])

    def test_an_unknown_group_is_refused_by_name(self):
        result = hooks.run(tp.deployment(group='puppet'), self.workspace)
        self.assertEqual(hooks.NO_HOOK_STATUS, result['deploy_status_code'])
        self.assertEqual('no hook for group "puppet": this agent runs groups '
                         '"script", "component"', result['deploy_stderr'])

    def test_a_component_runs_its_config_for_the_action(self):
        config = {'configs': [
            {'actions': ['CREATE'], 'tool': 'script',
             'config': '#!/bin/sh\necho created\n'},
            {'actions': ['UPDATE', 'DELETE'], 'tool': 'script',
             'config': '#!/bin/sh\necho updated\n'}]}
        result = hooks.run(tp.deployment(
            group='component', config=config,
            inputs=[tp.inp('deploy_action', 'UPDATE')]), self.workspace)
        self.assertEqual('updated\n', result['deploy_stdout'])

    def test_a_component_without_a_config_for_the_action(self):
        result = hooks.run(tp.deployment(
            group='component', config={'configs': []},
            inputs=[tp.inp('deploy_action', 'SUSPEND')]), self.workspace)
        self.assertEqual((hooks.NO_HOOK_STATUS,
                          'component has no config for action SUSPEND'),
                         (result['deploy_status_code'],
                          result['deploy_stderr']))


class CollectOutputsTest(testtools.TestCase):

    def test_declared_outputs_that_exist(self):
        root = self.useFixture(fixtures.TempDir()).path
        prefix = os.path.join(root, 'c1')
        with open(prefix + '.a', 'wb') as f:
            f.write(b'\xffvalue\n')
        self.assertEqual({'a': '\ufffdvalue\n'},
                         hooks.collect_outputs(prefix, ['a', 'b']))
