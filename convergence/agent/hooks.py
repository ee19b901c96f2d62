"""The hook for a deployment's group, and what it returns.

A hook takes one deployment action and returns its result (protocol.result:
deploy_stdout, deploy_stderr, deploy_status_code and the outputs it
collected). ``script`` is heat-agents' hook-script: the config written to a
file and executed, every input as an environment variable, and
``heat_outputs_path`` the prefix under which the script writes each output
(``$heat_outputs_path.<name>``). ``component`` (OS::Heat::SoftwareComponent)
picks the config of its ``configs`` whose ``actions`` include the
deployment's action and runs it with that config's ``tool``, as
55-heat-config does.

Any other group is refused with a failed result naming it: heat-config logs
such a deployment and leaves it unsignalled until Heat times it out; here
the deployment fails at once with the reason.
"""

import dataclasses
import glob
import os
import subprocess
from collections.abc import Callable, Mapping

from convergence.agent import protocol
from convergence.agent import state

SCRIPT, COMPONENT = 'script', 'component'

# The status of a deployment no hook can run (as a shell says of a command
# it cannot find), and of a script that cannot be executed (no shebang, no
# interpreter: as a shell says of a file it cannot execute).
NO_HOOK_STATUS = 127
CANNOT_EXECUTE_STATUS = 126
# The status of a config the hook cannot take (a script that is not text).
BAD_CONFIG_STATUS = 1

WORKING_DIR = 'heat-config-script'
OUTPUTS_DIR = 'heat-config-script-outputs'


@dataclasses.dataclass(frozen=True)
class Workspace:
    """Where hooks keep their files (under the agent's state dir) and the
    environment the scripts inherit."""

    root: str
    environ: Mapping[str, str]

    def dir(self, name: str) -> str:
        path = os.path.join(self.root, name)
        os.makedirs(path, 0o700, exist_ok=True)
        return path


def run(deployment: protocol.Deployment, workspace: Workspace) -> dict:
    """The result of running ``deployment`` with the hook for its group."""
    try:
        deployment = resolve_component(deployment)
    except NoHook as e:
        return protocol.result('', str(e), NO_HOOK_STATUS)
    hook = HOOKS.get(deployment.group)
    if hook is None:
        return protocol.result('', str(NoHook(deployment.group)),
                               NO_HOOK_STATUS)
    return hook(deployment, workspace)


class NoHook(Exception):
    """No hook of this agent runs a group (the message names it)."""

    def __init__(self, group: str, detail: str = ''):
        super().__init__(detail or (
            'no hook for group "%s": this agent runs groups %s' % (
                group, ', '.join('"%s"' % g for g in KNOWN_GROUPS))))


def resolve_component(deployment: protocol.Deployment) -> protocol.Deployment:
    """A ``component`` deployment as the deployment of the config it has for
    its action (its group that config's tool); any other unchanged."""
    if deployment.group != COMPONENT:
        return deployment
    configs = (deployment.config or {}).get('configs') \
        if isinstance(deployment.config, dict) else None
    for entry in configs or []:
        if deployment.action in (entry.get('actions') or []):
            return dataclasses.replace(
                deployment, group=str(entry.get('tool') or ''),
                config=entry.get('config'))
    raise NoHook(COMPONENT, 'component has no config for action %s'
                 % deployment.action)


def run_script(deployment: protocol.Deployment, workspace: Workspace) -> dict:
    """heat-agents' script hook: run the config, collect its outputs."""
    if not isinstance(deployment.config, str):
        return protocol.result('', 'the config of a "%s" deployment must be '
                               'a script (a string), not %s' % (
                                   SCRIPT, type(deployment.config).__name__),
                               BAD_CONFIG_STATUS)
    name = state.safe_name(deployment.id)
    work_dir = workspace.dir(WORKING_DIR)
    outputs_path = os.path.join(workspace.dir(OUTPUTS_DIR), name)
    script = _write_script(os.path.join(work_dir, name), deployment.config)
    _remove_outputs(outputs_path)
    env = dict(workspace.environ, **protocol.input_environment(deployment))
    env['heat_outputs_path'] = outputs_path
    try:
        done = subprocess.run([script], cwd=work_dir, env=env,
                              stdin=subprocess.DEVNULL, capture_output=True)
    except OSError as e:
        return protocol.result('', 'cannot execute %s: %s' % (script, e),
                               CANNOT_EXECUTE_STATUS)
    return protocol.result(
        done.stdout.decode('utf-8', 'replace'),
        done.stderr.decode('utf-8', 'replace'), done.returncode,
        collect_outputs(outputs_path, deployment.output_names))


def collect_outputs(outputs_path: str, names: list[str]) -> dict[str, str]:
    """The outputs a script wrote, each from ``<outputs_path>.<name>``; an
    output it did not write is left out (Heat then has no value for it)."""
    found = {}
    for name in names:
        try:
            with open('%s.%s' % (outputs_path, name), 'rb') as f:
                found[name] = f.read().decode('utf-8', 'replace')
        except OSError:
            continue
    return found


def _write_script(path: str, text: str) -> str:
    """A fresh executable file (a re-run never keeps a longer old tail)."""
    if os.path.exists(path):
        os.unlink(path)
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o700)
    with os.fdopen(fd, 'w') as f:
        f.write(text)
    return path


def _remove_outputs(outputs_path: str) -> None:
    """Forget the outputs of an earlier run of the same config, so a run
    that writes none reports none."""
    for old in glob.glob(glob.escape(outputs_path) + '.*'):
        os.unlink(old)


HOOKS: dict[str, Callable[[protocol.Deployment, Workspace], dict]] = {
    SCRIPT: run_script,
}
KNOWN_GROUPS = tuple(HOOKS) + (COMPONENT,)
