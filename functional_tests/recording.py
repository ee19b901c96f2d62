"""What every functional deployment gets so tests can use recorded resources.

The engines load ``functional_tests/plugins`` (``plugin_dirs``), which
provides ``Convergence::Test::Recorded`` (and
``Convergence::Test::SlowSuspend``), and find their ledger file through
an environment variable; the test reads the same file.
"""

import os

from functional_tests.plugins.recorded import ledger as ledger_mod

PLUGIN_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                          'plugins')
RECORDED = 'Convergence::Test::Recorded'


class Recording:
    """The plugin option and ledger of one deployment in ``state_dir``."""

    def __init__(self, state_dir: str):
        self.ledger_path = os.path.join(state_dir, 'ledger.sqlite')
        self._ledger = None

    @property
    def config(self) -> dict:
        """[DEFAULT] options of the engines."""
        return {'plugin_dirs': PLUGIN_DIR}

    @property
    def env(self) -> dict:
        """Environment variables of the engines."""
        return {ledger_mod.PATH_ENV: self.ledger_path}

    @property
    def ledger(self) -> ledger_mod.Ledger:
        if self._ledger is None:
            self._ledger = ledger_mod.Ledger(self.ledger_path)
        return self._ledger
