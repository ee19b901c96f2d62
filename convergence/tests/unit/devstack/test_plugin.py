"""convergence's devstack plugin (devstack/), phase by phase.

devstack cannot run here, so harness.sh plays stack.sh, unstack.sh and
clean.sh: it sources the plugin's settings and plugin.sh as devstack's
load_plugin_settings and run_plugins do, after heat's plugin (played by the
harness too), with devstack's helpers replaced by ones that record their
calls; iniset edits real files.  convergence-manage db_sync really runs, on
a SQLite file.
"""

import configparser
import os
import pwd
import shutil
import shlex
import sqlite3
import subprocess
import sys
import tempfile

import fixtures
from oslo_config import cfg
import testtools

from convergence import config
from convergence import startup

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(HERE))))
HARNESS = os.path.join(HERE, 'harness.sh')
# ENABLED_SERVICES as local.conf leaves it, before the plugins' settings
# add theirs.
BASE_SERVICES = 'key,mysql,rabbit,tempest'


def read_ini(path: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None,
                                       default_section='\x00')
    parser.optionxform = str
    if not parser.read(path):
        raise AssertionError('%s was not written' % path)
    return parser


class DevstackRun:
    """One devstack tree (DEST, /etc, units) in a temp dir, run by harness.sh."""

    def __init__(self, top: str, plugins='heat,convergence',
                 services=BASE_SERVICES, late_services=''):
        self.top = top
        dest = os.path.join(self.top, 'opt', 'stack')
        os.makedirs(dest)
        os.symlink(ROOT, os.path.join(dest, 'convergence'))
        self.state = os.path.join(self.top, 'state')
        self.env = dict(os.environ, HARNESS_STATE=self.state,
                        HARNESS_PYTHON=sys.executable, DEST=dest,
                        DEVSTACK_PLUGINS=plugins, ENABLED_SERVICES=services,
                        HARNESS_LATE_SERVICES=late_services)
        self.dest = dest

    def run(self, mode: str) -> subprocess.CompletedProcess:
        return subprocess.run(['bash', HARNESS, mode], env=self.env,
                              capture_output=True, text=True, timeout=120)

    def calls(self) -> list[list[str]]:
        with open(self.path('calls')) as lines:
            return [shlex.split(line) for line in lines]

    def path(self, *parts: str) -> str:
        return os.path.join(self.state, *parts)

    def units(self) -> set[str]:
        return set(os.listdir(self.path('units')))

    @property
    def heat_conf(self) -> str:
        return self.path('etc', 'heat', 'heat.conf')

    @property
    def convergence_conf(self) -> str:
        return self.path('etc', 'convergence', 'convergence.conf')


def stacked(**kwargs) -> DevstackRun:
    """A devstack tree in a new temp dir after a stack.sh that succeeded."""
    devstack = DevstackRun(tempfile.mkdtemp(prefix='conv_h3_devstack-'), **kwargs)
    done = devstack.run('stack')
    if done.returncode != 0:
        shutil.rmtree(devstack.top)
        raise AssertionError('stack failed: %s' % done.stderr[-3000:])
    return devstack


class TestStack(testtools.TestCase):
    """stack.sh with heat's plugin enabled first, then convergence's: one
    run (db_sync takes seconds), each test reading what it left."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.devstack = stacked()

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.devstack.top)
        super().tearDownClass()

    def test_settings_replace_h_eng_with_conv_eng(self):
        with open(self.devstack.path('enabled_services')) as services:
            enabled = services.read().strip().split(',')
        self.assertIn('conv-eng', enabled)
        self.assertNotIn('h-eng', enabled)
        self.assertIn('h-api', enabled)

    def test_phases_install_configure_sync_and_start(self):
        heat_conf, ours = self.devstack.heat_conf, self.devstack.convergence_conf
        bin_dir = os.path.dirname(sys.executable)
        self.assertEqual([
            ['phase', 'pre-install'],
            ['phase', 'install'],
            ['stack_install_service', 'convergence'],
            ['setup_develop', os.path.join(self.devstack.dest, 'convergence')],
            ['phase', 'post-config'],
            ['sudo', 'install', '-d', '-o', pwd.getpwuid(os.getuid()).pw_name,
             os.path.dirname(ours)],
            ['phase', 'extra'],
            # heat's plugin: its database, h-eng not started (disabled)
            ['recreate_database', 'heat'],
            ['run_process', 'h-api', 'uwsgi --ini heat-api-uwsgi.ini'],
            ['run_process', 'h-api-cfn', 'uwsgi --ini heat-api-cfn-uwsgi.ini'],
            # ours
            ['recreate_database', 'convergence'],
            ['systemctl', 'is-enabled', 'devstack@h-eng.service'],
            ['run_process', 'conv-eng',
             '%s/convergence-engine --config-file=%s --config-file=%s'
             % (bin_dir, heat_conf, ours)],
            ['phase', 'test-config'],
        ], [call for call in self.devstack.calls()
            if call[0] != 'plugin_requires'])
        self.assertEqual({'h-api', 'h-api-cfn', 'conv-eng'},
                         self.devstack.units())

    def engine_conf(self) -> cfg.ConfigOpts:
        """The configuration convergence-engine reads from its command line."""
        run = [c for c in self.devstack.calls() if c[:2] == ['run_process', 'conv-eng']]
        args = shlex.split(run[0][2])[1:]
        conf = config.register(cfg.ConfigOpts())
        startup.register_messaging_opts(conf)
        conf(args, project='convergence', default_config_files=[])
        return conf

    def test_engine_reads_heat_conf_with_its_own_database(self):
        conf = self.engine_conf()
        database = 'sqlite:///%s' % self.devstack.path('convergence.sqlite')
        self.assertEqual(database, conf.database.connection)
        # heat-api's bus, on heat's exchange
        self.assertEqual('rabbit://stackrabbit:secret@127.0.0.1:5672/',
                         conf.transport_url)
        self.assertEqual('heat', conf.control_exchange)
        self.assertEqual(2, conf.num_engine_workers)
        self.assertEqual(['hidden'], conf.hidden_stack_tags)
        self.assertEqual([], config.unhonoured_settings(conf))
        # heat.conf keeps Heat's database for heat-manage
        self.assertEqual(
            'sqlite:///%s' % self.devstack.path('heat.sqlite'),
            read_ini(self.devstack.heat_conf).get('database', 'connection'))

    def test_db_sync_created_the_schema(self):
        with sqlite3.connect(self.devstack.path('convergence.sqlite')) as db:
            tables = {row[0] for row in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
            revision = db.execute('SELECT version_num FROM alembic_version').fetchall()
        self.assertIn('stack', tables)
        self.assertIn('resource', tables)
        self.assertEqual(1, len(revision))

    def test_heat_functional_tests_configured(self):
        tempest = read_ini(self.devstack.path('etc', 'tempest', 'tempest.conf'))
        skipped = tempest.get('heat_plugin', 'skip_functional_test_list').split(',')
        # heat's own skip first, then ours, each once
        self.assertEqual('NotificationTest', skipped[0])
        self.assertEqual(len(skipped), len(set(skipped)))
        for test in ('PurgeTest', 'TestTranslation', 'CreateUserTest',
                     'UpdateStackTest.test_stack_update_flavor_volume'):
            self.assertIn(test, skipped)
        self.assertEqual('True', tempest.get('heat_plugin', 'skip_scenario_tests'))
        self.assertEqual('True', tempest.get('heat_plugin',
                                             'convergence_engine_enabled'))
        # what heat's plugin wrote stays
        self.assertEqual('demo', tempest.get('heat_plugin', 'username'))


class TestUnstack(testtools.TestCase):

    def test_unstack_stops_the_engine_and_clean_removes_its_config(self):
        self.devstack = stacked()
        self.addCleanup(shutil.rmtree, self.devstack.top)
        done = self.devstack.run('unstack')
        self.assertEqual(0, done.returncode, done.stderr[-3000:])
        self.assertIn(['stop_process', 'conv-eng'], self.devstack.calls())
        self.assertEqual(set(), self.devstack.units())
        done = self.devstack.run('clean')
        self.assertEqual(0, done.returncode, done.stderr[-3000:])
        self.assertFalse(os.path.exists(os.path.dirname(
            self.devstack.convergence_conf)))


class TestStackRefused(testtools.TestCase):
    """local.confs the plugin cannot serve fail at pre-install, naming why."""

    def refusal(self, **kwargs) -> str:
        devstack = DevstackRun(self.useFixture(fixtures.TempDir()).path, **kwargs)
        done = devstack.run('stack')
        self.assertEqual(1, done.returncode)
        calls = devstack.calls()
        self.assertEqual(['phase', 'pre-install'], calls[-2])
        self.assertEqual('die', calls[-1][0])
        return calls[-1][1]

    def test_convergence_before_heat(self):
        self.assertIn('enable_plugin heat must come before enable_plugin '
                      'convergence', self.refusal(plugins='convergence,heat'))

    def test_without_heat_plugin(self):
        self.assertIn('enable_plugin heat must come before',
                      self.refusal(plugins='convergence'))

    def test_h_eng_enabled_after_the_settings(self):
        # a later plugin's settings adding to ENABLED_SERVICES directly
        reason = self.refusal(late_services='h-eng')
        self.assertIn('h-eng', reason)


class TestLeftHeatEngine(testtools.TestCase):

    def test_h_eng_unit_of_an_earlier_stack_is_stopped(self):
        devstack = DevstackRun(self.useFixture(fixtures.TempDir()).path)
        os.makedirs(devstack.path('units'))
        open(devstack.path('units', 'h-eng'), 'w').close()
        done = devstack.run('stack')
        self.assertEqual(0, done.returncode, done.stderr[-3000:])
        calls = devstack.calls()
        self.assertIn(['systemctl', 'stop', 'devstack@h-eng.service'], calls)
        self.assertIn(['systemctl', 'disable', 'devstack@h-eng.service'], calls)
        self.assertNotIn('h-eng', devstack.units())
