"""Running the ``openstack`` CLI against the test's server."""

import os
import subprocess
import sys

# Seconds one CLI command may take; --wait polls events every 5 s.
CLI_TIMEOUT = 120


def _console_script(name: str) -> str:
    here = os.path.join(os.path.dirname(sys.executable), name)
    return here if os.path.exists(here) else name


def openstack_command() -> str:
    return _console_script('openstack')


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


def environment_without_os(**extra: str) -> dict:
    """This process's environment less any OS_* (the caller's cloud), plus
    ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith('OS_')}
    env.update(extra)
    return env


class ConvergenceCliMixin:
    """``self.convergence(...)``: our ``convergence`` CLI, noauth, on
    ``self.endpoint`` (or ``endpoint``) unless ``auth`` is False."""

    def convergence(self, *args: str, auth: bool = True,
                    endpoint: str | None = None, env: dict | None = None):
        cmd = [_console_script('convergence')]
        if auth:
            cmd += ['--os-auth-type', 'none',
                    '--os-endpoint', endpoint or self.endpoint]
        return subprocess.run(cmd + list(args), capture_output=True,
                              text=True, timeout=CLI_TIMEOUT,
                              env=env or environment_without_os())
