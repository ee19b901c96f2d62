"""The local test cloud's pure parts: layout, configs, openrc, tempest.conf
(functional_tests/cloud)."""

import configparser
import os
import tempfile

import testtools

from functional_tests.cloud import configs
from functional_tests.cloud import credentials
from functional_tests.cloud import layout
from functional_tests.cloud import local_cloud
from functional_tests.cloud import seed
from functional_tests.cloud import tempest_conf


def parse(text: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read_string(text)
    return parser


class LayoutTest(testtools.TestCase):

    def test_defaults_stay_clear_of_minicloud(self):
        lay = layout.Layout.from_env({})
        minicloud_ports = {5000, 8778, 9292, 8774, 9696, 8776, 8604, 8600}
        ports = {lay.port(name) for name in layout.STANDARD_PORTS}
        self.assertEqual(set(), ports & minicloud_ports)
        self.assertTrue(all(1024 <= p < 32768 for p in ports))
        self.assertNotEqual('minicloud', lay.vhost)
        self.assertFalse(lay.database('nova').startswith('mc_'))

    def test_every_name_comes_from_the_environment(self):
        lay = layout.Layout.from_env({
            'CONV_CLOUD_DIR': '/tmp/cs-cloud', 'CONV_CLOUD_DB_PREFIX': 'cs_',
            'CONV_CLOUD_VHOST': 'cs_cloud',
            'CONV_CLOUD_PORT_OFFSET': '20000'})
        self.assertEqual(
            ('http://127.0.0.1:25000/v3', 'mysql+pymysql://root@127.0.0.1/'
             'cs_nova_api', 'rabbit://guest:guest@127.0.0.1:5672/cs_cloud',
             '/tmp/cs-cloud/openrc'),
            (lay.auth_url, lay.database_url('nova_api'), lay.transport_url,
             lay.openrc))

    def test_unusable_values_are_refused_by_name(self):
        for env, word in (({'CONV_CLOUD_PORT_OFFSET': 'ten'}, 'whole number'),
                          ({'CONV_CLOUD_PORT_OFFSET': '60000'}, '1024-65535'),
                          ({'CONV_CLOUD_DB_PREFIX': 'a-b;'}, 'letters'),
                          ({'CONV_CLOUD_DIR': 'relative'}, 'absolute')):
            err = self.assertRaises(layout.LayoutError,
                                    layout.Layout.from_env, env)
            self.assertIn(list(env)[0], str(err))
            self.assertIn(word, str(err))


class ConfigsTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.lay = layout.Layout(base='/tmp/cc', port_offset=100)
        self.files = {path: parse(configs.render(sections))
                      for path, sections in configs.files(self.lay).items()}

    def test_each_service_uses_the_layout_s_database_and_vhost(self):
        self.assertEqual('mysql+pymysql://root@127.0.0.1/cc_neutron',
                         self.files['neutron/neutron.conf'].get(
                             'database', 'connection'))
        for path in ('nova/nova.conf', 'neutron/neutron.conf',
                     'cinder/cinder.conf'):
            self.assertEqual(self.lay.transport_url, self.files[path].get(
                'DEFAULT', 'transport_url'))

    def test_services_find_keystone_at_the_layout_s_port(self):
        for path in ('nova/nova.conf', 'glance/glance-api.conf',
                     'placement/placement.conf', 'cinder/cinder.conf'):
            self.assertEqual('http://127.0.0.1:5100/v3', self.files[path].get(
                'keystone_authtoken', 'auth_url'))
        self.assertEqual('9392', self.files[
            'glance/glance-api.conf'].get('DEFAULT', 'bind_port'))

    def test_nova_compute_gets_no_database(self):
        compute = self.files['nova/nova-cpu.conf']
        self.assertFalse(compute.has_section('database'))
        self.assertFalse(compute.has_section('api_database'))
        self.assertEqual('conv_cloud_fake.FakeDriver',
                         compute.get('DEFAULT', 'compute_driver'))
        self.assertEqual('true', compute.get('DEFAULT',
                                             'allow_resize_to_same_host'))

    def test_values_render_as_oslo_config_reads_them(self):
        text = configs.render({'s': {'a': True, 'b': ['x', 'y'], 'c': 3}})
        self.assertEqual('[s]\na = true\nb = x,y\nc = 3\n', text)


class OpenrcTest(testtools.TestCase):

    def write(self, text: str) -> str:
        handle, path = tempfile.mkstemp()
        self.addCleanup(os.unlink, path)
        with os.fdopen(handle, 'w') as f:
            f.write(text)
        return path

    def test_what_we_write_reads_back(self):
        admin = credentials.Credentials('http://k:1/v3', 'admin', "it's",
                                        'admin')
        self.assertEqual(admin, credentials.from_openrc(
            self.write(admin.openrc())))

    def test_another_cloud_s_openrc_reads(self):
        path = self.write('# minicloud\nexport OS_AUTH_URL=http://x:5000/v3\n'
                          'export OS_USERNAME=admin\nOS_PASSWORD="secret"\n'
                          'export OS_PROJECT_NAME=admin\n'
                          'export OS_REGION_NAME=RegionTwo\n')
        read = credentials.from_openrc(path)
        self.assertEqual(('secret', 'RegionTwo', 'Default'), (
            read.password, read.region_name, read.user_domain_name))

    def test_a_missing_variable_is_named(self):
        err = self.assertRaises(
            credentials.OpenrcError, credentials.from_openrc,
            self.write('export OS_AUTH_URL=http://x/v3\n'))
        self.assertIn('OS_USERNAME, OS_PASSWORD, OS_PROJECT_NAME', str(err))

    def test_clouds_yaml_and_openrc_files_for_each_user(self):
        directory = tempfile.mkdtemp()
        self.addCleanup(__import__('shutil').rmtree, directory)
        demo = credentials.Credentials('http://k/v3', 'demo', 'pw', 'demo')
        credentials.write_files(directory, 'cc', {'admin': demo,
                                                  'demo': demo})
        self.assertEqual(['clouds.yaml', 'openrc', 'openrc.demo'],
                         sorted(os.listdir(directory)))
        with open(os.path.join(directory, 'clouds.yaml')) as f:
            clouds = __import__('yaml').safe_load(f)['clouds']
        self.assertEqual(demo.auth(), clouds['cc-demo']['auth'])


class TempestConfTest(testtools.TestCase):

    def test_the_seed_and_users_go_to_heat_plugin(self):
        admin = credentials.Credentials('http://k/v3', 'admin', 'a', 'admin')
        demo = credentials.Credentials('http://k/v3', 'demo', 'd', 'demo')
        cloud = local_cloud.LocalCloud(admin=admin, demo=demo, seed=None)
        conf = parse(configs.render(tempest_conf.sections(
            cloud, '/tmp/t.log', skip=('A', 'B.test_c'))))
        plugin = dict(conf.items('heat_plugin'))
        self.assertEqual(
            ('demo', 'd', 'admin', seed.IMAGE, seed.PRIVATE, 'A,B.test_c'),
            (plugin['username'], plugin['password'],
             plugin['admin_username'], plugin['image_ref'],
             plugin['fixed_network_name'],
             plugin['skip_functional_test_list']))
        self.assertEqual('http://k/v3', conf.get('identity', 'uri_v3'))
