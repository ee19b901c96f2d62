"""plugin_dirs: modules of plugin directories add resource types."""

import os
import textwrap

import fixtures
import testtools

import convergence.resources as resources
from convergence.resources import plugin_loader
from convergence.resources.test_resource import TestResource

GOOD = '''
from convergence.resources.test_resource import TestResource


class Loud(TestResource):
    pass


def resource_mapping():
    return {'Test::Plugin::Loud': Loud}
'''


class PluginLoaderTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.log = self.useFixture(fixtures.FakeLogger(
            name=plugin_loader.__name__))
        self.registered = []
        self.addCleanup(self._unregister)

    def _unregister(self):
        for type_name in self.registered:
            resources.unregister(type_name)
        resources.register('OS::Heat::TestResource', TestResource)

    def plugin_dir(self, **files: str) -> str:
        """A directory holding ``files`` ({relative path: source})."""
        directory = self.useFixture(fixtures.TempDir()).path
        for relative, source in files.items():
            path = os.path.join(directory, *relative.split('/'))
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, 'w') as f:
                f.write(textwrap.dedent(source))
        return directory

    def load(self, *directories: str) -> dict:
        loaded = plugin_loader.load_plugins(directories)
        self.registered.extend(loaded)
        return loaded

    def test_module_mapping_registers_its_types(self):
        loaded = self.load(self.plugin_dir(**{'loud.py': GOOD}))

        self.assertEqual(['Test::Plugin::Loud'], list(loaded))
        cls = resources.get_class('Test::Plugin::Loud')
        self.assertEqual('Loud', cls.__name__)
        self.assertTrue(issubclass(cls, TestResource))

    def test_available_resource_mapping_counts_too(self):
        source = GOOD.replace('def resource_mapping',
                              'def available_resource_mapping')
        loaded = self.load(self.plugin_dir(**{'avail.py': source}))
        self.assertEqual(['Test::Plugin::Loud'], list(loaded))

    def test_packages_and_their_submodules_are_loaded(self):
        directory = self.plugin_dir(**{
            'pkg/__init__.py': '',
            'pkg/helper.py': 'NAME = "Test::Plugin::Relative"\n',
            'pkg/types.py': GOOD.replace("'Test::Plugin::Loud'", 'NAME')
            .replace('from convergence', 'from .helper import NAME\n'
                     'from convergence')})

        loaded = self.load(directory)

        self.assertEqual(['Test::Plugin::Relative'], list(loaded))

    def test_missing_directory_is_skipped(self):
        directory = self.plugin_dir(**{'loud.py': GOOD})
        loaded = self.load(os.path.join(directory, 'nosuch'), directory)
        self.assertEqual(['Test::Plugin::Loud'], list(loaded))

    def test_later_directory_overrides_and_says_so(self):
        first = self.plugin_dir(**{'loud.py': GOOD})
        second = self.plugin_dir(**{'loud.py': GOOD.replace(
            'class Loud', 'class Louder').replace(': Loud}', ': Louder}')})

        self.load(first, second)

        self.assertEqual('Louder',
                         resources.get_class('Test::Plugin::Loud').__name__)
        self.assertIn('overrides resource type Test::Plugin::Loud',
                      self.log.output)

    def test_overriding_a_built_in_type(self):
        directory = self.plugin_dir(**{'mine.py': GOOD.replace(
            'Test::Plugin::Loud', 'OS::Heat::TestResource')})
        self.load(directory)
        self.assertEqual('Loud',
                         resources.get_class('OS::Heat::TestResource')
                         .__name__)

    def test_module_that_fails_to_import_is_skipped_with_its_error(self):
        directory = self.plugin_dir(**{
            'broken.py': 'import no_such_module_here\n', 'loud.py': GOOD})

        loaded = self.load(directory)

        self.assertEqual(['Test::Plugin::Loud'], list(loaded))
        self.assertIn('broken.py: import failed', self.log.output)
        self.assertIn('no_such_module_here', self.log.output)

    def test_mapping_to_a_non_plugin_is_refused_by_name(self):
        directory = self.plugin_dir(**{'odd.py': '''
            def resource_mapping():
                return {'Test::Plugin::Odd': dict}
            '''})

        self.assertEqual({}, self.load(directory))
        self.assertIn("maps Test::Plugin::Odd to <class 'dict'>, which is "
                      'not a subclass of convergence.resources.base.Resource',
                      self.log.output)
        self.assertRaises(Exception, resources.get_class, 'Test::Plugin::Odd')

    def test_mapping_that_is_not_a_dict_is_refused(self):
        directory = self.plugin_dir(**{'odd.py': '''
            def resource_mapping():
                return ['Test::Plugin::Odd']
            '''})
        self.assertEqual({}, self.load(directory))
        self.assertIn('resource_mapping() returned list, not a mapping',
                      self.log.output)

    def test_mapping_function_that_raises_is_reported(self):
        directory = self.plugin_dir(**{'odd.py': '''
            def resource_mapping():
                raise RuntimeError('no client')
            '''})
        self.assertEqual({}, self.load(directory))
        self.assertIn('resource_mapping() raised RuntimeError: no client',
                      self.log.output)

    def test_module_without_mapping_adds_nothing(self):
        directory = self.plugin_dir(**{'util.py': 'X = 1\n'})
        self.assertEqual({}, self.load(directory))

    def test_same_module_name_in_two_directories(self):
        first = self.plugin_dir(**{'plugin.py': GOOD})
        second = self.plugin_dir(**{'plugin.py': GOOD.replace(
            'Test::Plugin::Loud', 'Test::Plugin::Other')})
        loaded = self.load(first, second)
        self.assertEqual(['Test::Plugin::Loud', 'Test::Plugin::Other'],
                         list(loaded))
