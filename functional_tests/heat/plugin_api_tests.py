"""heat-tempest-plugin's API tests (its gabbi files, unmodified) against
HEAT_URL without Keystone.

The plugin's own loader (heat_tempest_plugin/tests/api/test_heat_api.py)
asks Keystone for the orchestration endpoint and a token; with
OS_NO_CLIENT_AUTH=True there is neither, so this loader builds the same
tests from the same files with HEAT_URL as the endpoint and, in place of the
plugin's AuthenticationFixture, one that sets OS_TOKEN to a placeholder
nothing checks.  Test ids are the plugin's, with its tempest ids.

usage: python -m subunit.run plugin_api_tests   (PYTHONPATH holding this
directory; env HEAT_URL, PLUGIN_API_GABBITS: space-separated file names
without .yaml, e.g. "softwareconfig")
"""

import os
import sys
import tempfile
import unittest

from gabbi import driver
from gabbi import fixture
from heat_tempest_plugin.tests.api import test_heat_api

# OS_NO_CLIENT_AUTH: the API takes any token.
NOAUTH_TOKEN = 'noauth'


class AuthenticationFixture(fixture.GabbiFixture):
    """The plugin's fixture's effect, without Keystone."""

    def start_fixture(self):
        os.environ['OS_TOKEN'] = NOAUTH_TOKEN

    def stop_fixture(self):
        pass


def _gabbits_dir() -> str:
    """A directory holding only the selected gabbi files of the plugin."""
    source = os.path.join(os.path.dirname(test_heat_api.__file__),
                          test_heat_api.TESTS_DIR)
    selected = os.environ.get('PLUGIN_API_GABBITS', '').split()
    chosen = tempfile.mkdtemp(prefix='plugin-gabbits-')
    for name in selected:
        os.symlink(os.path.join(source, name + '.yaml'),
                   os.path.join(chosen, name + '.yaml'))
    return chosen


def _with_tempest_ids(suite) -> None:
    """As the plugin's loader: each test id ends with [id-<desc>]."""
    for case in suite:
        if isinstance(case, unittest.TestSuite):
            _with_tempest_ids(case)
            continue
        name, tempest_id = case.id(), case.test_data.get('desc')
        case.id = (lambda n=name, t=tempest_id: '%s[id-%s]' % (n, t))


def load_tests(loader, tests, pattern):
    os.environ.setdefault('PREFIX', 'api-%d' % os.getpid())
    suite = driver.build_tests(
        _gabbits_dir(), loader, url=os.environ['HEAT_URL'], host='',
        fixture_module=sys.modules[__name__],
        test_loader_name='heat_tempest_plugin.tests.api.test_heat_api')
    _with_tempest_ids(suite)
    return suite
