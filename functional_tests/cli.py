"""Running the ``openstack`` CLI against the test's server."""

import os
import subprocess
import sys

# Seconds one CLI command may take; --wait polls events every 5 s.
CLI_TIMEOUT = 120


def openstack_command() -> str:
    here = os.path.join(os.path.dirname(sys.executable), 'openstack')
    return here if os.path.exists(here) else 'openstack'


class CliMixin:
    """``self.openstack(...)`` for a FunctionalTestCase."""

    def openstack(self, *args: str, check: bool = True):
        """The command's stdout; with ``check`` False, the whole result.
        With ``check``, a non-zero exit fails the test."""
        cmd = [openstack_command(), '--os-auth-type', 'none',
               '--os-endpoint', self.endpoint] + list(args)
        result = subprocess.run(cmd, capture_output=True, text=True,
                                timeout=CLI_TIMEOUT)
        if check and result.returncode != 0:
            self.fail('%s exited %s:\n%s%s' % (' '.join(args),
                                               result.returncode,
                                               result.stdout, result.stderr))
        return result.stdout if check else result
