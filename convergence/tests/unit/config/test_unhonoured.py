"""Heat options we do not honour: a config file that sets one is warned about.

Operators point us at their heat.conf; oslo.config ignores options nobody
registered, so without these warnings a setting that changes nothing here
would look as if it had been taken.
"""

import os

import fixtures
from oslo_config import cfg
import testtools

from convergence import config


class UnhonouredSettingsTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.directory = self.useFixture(fixtures.TempDir()).path

    def write(self, text: str, name: str = 'heat.conf') -> str:
        path = os.path.join(self.directory, name)
        with open(path, 'w') as f:
            f.write(text)
        return path

    def warnings(self, *args: str) -> list[str]:
        conf = config.register(cfg.ConfigOpts())
        conf(list(args), project='convergence', default_config_files=[])
        return config.unhonoured_settings(conf)

    def test_each_unhonoured_option_set_is_named_with_its_file_and_why(self):
        path = self.write('[DEFAULT]\naction_retry_limit = 3\n'
                          'observe_on_update = true\n'
                          'engine_life_check_timeout = 2\n'
                          '[heat_api]\nworkers = 4\n')
        warnings = self.warnings('--config-file', path)
        self.assertEqual(4, len(warnings), warnings)
        for option in ('[DEFAULT] action_retry_limit = 3',
                       '[DEFAULT] observe_on_update = true',
                       '[DEFAULT] engine_life_check_timeout = 2',
                       '[heat_api] workers = 4'):
            self.assertTrue(any(option in w for w in warnings),
                            (option, warnings))
        for warning in warnings:
            self.assertIn(path, warning)
            self.assertIn('not honoured: ', warning)
        why, _ = config.UNHONOURED_HEAT_OPTIONS[('heat_api', 'workers')]
        self.assertIn(why, [w for w in warnings if 'workers' in w][0])

    def test_trusts_and_domain_users_are_honoured_passwords_are_not(self):
        path = self.write('[DEFAULT]\ndeferred_auth_method = trusts\n'
                          'trusts_delegated_roles = member\n'
                          'client_retry_limit = 2\n'
                          'stack_user_domain_name = heat\n'
                          'stack_domain_admin = heat_domain_admin\n'
                          'stack_domain_admin_password = secret\n')
        self.assertEqual([], self.warnings('--config-file', path))
        [warning] = self.warnings_for('deferred_auth_method', 'password')
        self.assertIn('[DEFAULT] deferred_auth_method = password, which is '
                      'not honoured: stored passwords are not implemented: '
                      'deferred operations (nodes, timeouts, recovery, '
                      'signals) act through a Keystone trust', warning)
        self.assertEqual([], self.warnings_for('deferred_auth_method',
                                               'Trusts'))

    def test_honoured_and_unknown_options_are_not_warned_about(self):
        path = self.write('[DEFAULT]\nstack_action_timeout = 60\n'
                          'no_such_option_anywhere = http://x\n'
                          '[heat_api]\nbind_port = 8005\n')
        self.assertEqual([], self.warnings('--config-file', path))

    def test_the_cfn_urls_are_warned_about(self):
        """heat_metadata_server_url and heat_waitcondition_server_url name
        heat-api-cfn, which is not served: servers get URLs under
        [heat_api] public_url instead."""
        path = self.write('[DEFAULT]\nheat_metadata_server_url = http://x\n'
                          'heat_waitcondition_server_url = http://y\n')
        warnings = self.warnings('--config-file', path)
        self.assertEqual(2, len(warnings), warnings)
        for warning in warnings:
            self.assertIn('[heat_api] public_url', warning)

    def warnings_for(self, name: str, value: str) -> list[str]:
        """The warnings when a heat.conf sets [DEFAULT] ``name = value``."""
        path = self.write('[DEFAULT]\n%s = %s\n' % (name, value))
        return self.warnings('--config-file', path)

    def test_observe_on_update_warns_only_when_true(self):
        for value in ('false', 'False', '0', 'no'):
            self.assertEqual([], self.warnings_for('observe_on_update', value),
                             value)
        [warning] = self.warnings_for('observe_on_update', 'True')
        self.assertIn('[DEFAULT] observe_on_update = True', warning)
        self.assertIn('never observes the real resources', warning)

    def test_convergence_engine_warns_only_when_false(self):
        for value in ('true', 'True', '1', 'yes'):
            self.assertEqual([], self.warnings_for('convergence_engine', value),
                             value)
        [warning] = self.warnings_for('convergence_engine', 'false')
        self.assertIn('[DEFAULT] convergence_engine = false', warning)
        self.assertIn('no legacy engine', warning)

    def test_action_retry_limit_zero_asks_for_what_we_do(self):
        self.assertEqual([], self.warnings_for('action_retry_limit', '0'))
        self.assertEqual(1, len(self.warnings_for('action_retry_limit', '1')))

    def test_a_value_that_does_not_parse_is_warned_about(self):
        self.assertEqual(1, len(self.warnings_for('observe_on_update',
                                                  'maybe')))

    def test_the_last_file_that_sets_an_option_is_the_one_named(self):
        first = self.write('[DEFAULT]\nobserve_on_update = true\n', 'a.conf')
        last = self.write('[DEFAULT]\nobserve_on_update = false\n', 'b.conf')
        self.assertEqual([], self.warnings('--config-file', first,
                                           '--config-file', last))
        [warning] = self.warnings('--config-file', last,
                                  '--config-file', first)
        self.assertIn(first, warning)

    def test_files_of_a_config_dir_are_read(self):
        path = self.write('[DEFAULT]\nengine_life_check_timeout = 5\n',
                          'x.conf')
        [warning] = self.warnings('--config-dir', self.directory)
        self.assertIn(path, warning)

    def test_no_unhonoured_option_is_registered(self):
        conf = config.register(cfg.ConfigOpts())
        for group, name in config.UNHONOURED_HEAT_OPTIONS:
            options = conf if group == 'DEFAULT' else conf[group]
            self.assertNotIn(name, options, (group, name))
