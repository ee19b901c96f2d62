"""etc/convergence.conf.sample is what oslo-config-generator makes of the code.

The generator runs in a process of its own, as ``tox -e genconfig`` runs it:
in this one other tests may have changed the libraries' option defaults.
"""

import difflib
import os
import subprocess
import sys

import fixtures
import testtools

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), *['..'] * 4))
GENERATOR_CONFIG = os.path.join(ROOT, 'etc', 'oslo-config-generator',
                                'convergence.conf')
SAMPLE = os.path.join(ROOT, 'etc', 'convergence.conf.sample')
# Seconds the generator may take (it imports oslo.messaging's drivers).
GENERATOR_TIMEOUT = 60


class SampleConfigTest(testtools.TestCase):

    def test_the_committed_sample_is_the_generated_one(self):
        output = os.path.join(self.useFixture(fixtures.TempDir()).path,
                              'convergence.conf.sample')
        subprocess.run(
            [sys.executable, '-m', 'oslo_config.generator',
             '--config-file', GENERATOR_CONFIG, '--output-file', output],
            cwd=ROOT, check=True, capture_output=True,
            timeout=GENERATOR_TIMEOUT)
        with open(output) as generated, open(SAMPLE) as committed:
            difference = list(difflib.unified_diff(
                committed.readlines(), generated.readlines(),
                'etc/convergence.conf.sample', 'generated'))
        self.assertEqual([], difference,
                         'etc/convergence.conf.sample is stale: run '
                         'tox -e genconfig')
