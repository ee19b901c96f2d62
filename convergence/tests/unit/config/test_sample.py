"""etc/convergence.conf.sample is what oslo-config-generator makes of the code.

The generator runs in a process of its own, as ``tox -e genconfig`` runs it:
in this one other tests may have changed the libraries' option defaults.
Only our own options (namespace ``convergence``) are compared: the sample
also carries the oslo libraries' options, whose text changes with the
version pip happens to install, and a new oslo release must not fail CI.
"""

import os
import re
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
STALE = 'etc/convergence.conf.sample is stale: run tox -e genconfig'


def _sections(text: str) -> dict[str, str]:
    """The sample's text by ``[group]``, each without its heading."""
    parts = re.split(r'^\[([^\]]+)\]\n', text, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2]))


class SampleConfigTest(testtools.TestCase):

    def _generate(self, *args: str) -> str:
        output = os.path.join(self.useFixture(fixtures.TempDir()).path,
                              'convergence.conf.sample')
        subprocess.run(
            [sys.executable, '-m', 'oslo_config.generator', *args,
             '--output-file', output],
            cwd=ROOT, check=True, capture_output=True,
            timeout=GENERATOR_TIMEOUT)
        with open(output) as generated:
            return generated.read()

    def test_our_options_in_the_committed_sample_are_the_generated_ones(self):
        ours = _sections(self._generate('--namespace', 'convergence',
                                        '--wrap-width', '79'))
        with open(SAMPLE) as committed:
            sample = _sections(committed.read())
        for group, text in ours.items():
            self.assertIn(group, sample, STALE)
            self.assertIn(text.strip(), sample[group], STALE)
