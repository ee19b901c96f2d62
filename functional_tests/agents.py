"""A server's agent as a real process: os-collect-config + our hook runner.

What runs on a VM that takes software deployments: an unmodified
os-collect-config (PyPI) polling one metadata URL with its ``request``
collector and, whenever the document changes, running
``convergence-heat-config`` (convergence/agent) as its command. Each agent
has its own directory: the os-collect-config config file, its cache and
backup cache, the hook runner's state dir and one log: what
os-collect-config writes (its warnings, such as an unreachable metadata URL)
and, through it, the runner's log of each deployment action.

The whole process group is the agent: ``kill()`` SIGKILLs os-collect-config,
the shell it runs the command in, the runner and the script the runner is
in the middle of, as a VM losing power would; ``start()`` again is the
server coming back with its disk. ``kill_collector()`` kills
os-collect-config alone, leaving its runner to finish as an orphan.

The command line is ``os-collect-config --config-file <dir>/os-collect-
config.conf`` with (``config_text``)::

    [DEFAULT]
    command = <venv>/bin/convergence-heat-config --state-dir <dir>/heat-config
    collectors = request
    cachedir = <dir>/cache
    backup_cachedir = <dir>/cache-backup
    polling_interval = 1.0
    min_polling_interval = 0.5
    [request]
    metadata_url = <the metadata URL>
"""

import contextlib
import glob
import json
import os
import shlex
import signal

import fixtures
from testtools import content

from functional_tests import processes

# Seconds between two polls of the metadata (os-collect-config's maximum;
# it starts at MIN_POLLING_INTERVAL and doubles while nothing changes).
POLLING_INTERVAL = 1.0
MIN_POLLING_INTERVAL = 0.5
RUNNER = 'convergence-heat-config'
COLLECTOR = 'os-collect-config'


def config_text(metadata_url: str | None, root: str,
                polling_interval: float = POLLING_INTERVAL,
                heat: dict | None = None) -> str:
    """os-collect-config's config file for an agent living in ``root``:
    its ``request`` collector polling ``metadata_url``, or (``heat``, the
    ``heat`` section of a POLL_SERVER_HEAT server's os-collect-config) its
    ``heat`` collector reading resource metadata as the stack user."""
    if heat is not None:
        collector = ['collectors = heat', '[heat]'] + [
            '%s = %s' % (key, value) for key, value in sorted(heat.items())
            if value is not None]
    else:
        collector = ['collectors = request', '[request]',
                     'metadata_url = %s' % metadata_url]
    command = '%s --state-dir %s' % (
        shlex.quote(processes.console_script(RUNNER)),
        shlex.quote(os.path.join(root, 'heat-config')))
    return '\n'.join([
        '[DEFAULT]',
        'command = %s' % command,
        collector[0],
        'cachedir = %s' % os.path.join(root, 'cache'),
        'backup_cachedir = %s' % os.path.join(root, 'cache-backup'),
        'polling_interval = %s' % polling_interval,
        'min_polling_interval = %s' % min(MIN_POLLING_INTERVAL,
                                          polling_interval)]
        + collector[1:] + [''])


class Agent(fixtures.Fixture):
    """One server's agent; started by setUp, stopped (SIGTERM, then SIGKILL)
    by cleanUp, its log attached to the test's result as ``<label>-log``."""

    def __init__(self, metadata_url: str | None, label: str = 'agent',
                 polling_interval: float = POLLING_INTERVAL,
                 root: str | None = None, heat: dict | None = None):
        super().__init__()
        self.metadata_url = metadata_url
        self.heat = heat
        self.label = label
        self.polling_interval = polling_interval
        self._root = root

    def _setUp(self):
        self.root = self._root or self.useFixture(fixtures.TempDir()).path
        self.config_file = os.path.join(self.root, 'os-collect-config.conf')
        with open(self.config_file, 'w') as f:
            f.write(config_text(self.metadata_url, self.root,
                                self.polling_interval, self.heat))
        self.process = processes.ManagedProcess(
            self.label, self.command, os.path.join(self.root, 'agent.log'),
            cwd=self.root)
        self.addDetail('%s-log' % self.label, content.Content(
            content.UTF8_TEXT, lambda: [self.log().encode()]))
        self.addCleanup(self.process.stop)
        self.addCleanup(self._kill_orphans)
        self._orphans = []
        self.start()

    @property
    def command(self) -> list[str]:
        return [processes.console_script(COLLECTOR), '--config-file',
                self.config_file]

    def start(self) -> None:
        self.process.start()

    def kill(self) -> None:
        """SIGKILL the whole agent: nothing of it gets to clean up."""
        self.process.kill()

    def kill_collector(self) -> None:
        """SIGKILL os-collect-config alone (as a service manager that kills
        only the main process would): the runner it started, and that
        runner's script, carry on as orphans."""
        pid = self.process.pid
        self._orphans.append(pid)   # its process group: what carries on
        os.kill(pid, signal.SIGKILL)
        self.process.process.wait()

    def _kill_orphans(self) -> None:
        for group in self._orphans:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(group, signal.SIGKILL)

    def alive(self) -> bool:
        return self.process.alive()

    def log(self) -> str:
        return self.process.log_since(0)

    def records(self) -> dict[str, dict]:
        """The hook runner's records, by file name (``<id>.<ACTION>``)."""
        found = {}
        pattern = os.path.join(self.root, 'heat-config', 'deployed', '*.json')
        for path in glob.glob(pattern):
            with open(path) as f:
                found[os.path.basename(path)[:-len('.json')]] = json.load(f)
        return found


class ServerAgentsMixin:
    """For a FunctionalTestCase: one real agent per DeployedServer of a
    stack, pointed at the metadata URL its ``os_collect_config`` attribute
    names (read through the API, as a server's cloud-init would be given
    it), and the count of each deployment's runs from the agents' records.

    A stock heat-api in front of our engines serves no agent URLs (they
    are convergence-api's), so there the tests that need agents skip."""

    def skip_without_agent_urls(self) -> None:
        from functional_tests import deployment as deployment_mod
        if os.environ.get(deployment_mod.DEPLOYMENT_ENV) == 'stock-heat-api':
            self.skipTest("heat-api serves no agent URLs: they are "
                          "convergence-api's")

    def server_metadata_url(self, identifier: str, server: str) -> str:
        self.wait_for_resource_status(identifier, server, 'CREATE_COMPLETE')
        occ = self.client.resources.get(identifier, server).attributes[
            'os_collect_config']
        return occ['request']['metadata_url']

    def start_agents(self, identifier: str, servers, **kwargs
                     ) -> dict[str, Agent]:
        """{server name: its Agent}, each started once its server exists."""
        return {name: self.useFixture(Agent(
            self.server_metadata_url(identifier, name),
            label='agent-%s' % name, **kwargs)) for name in servers}

    @staticmethod
    def runs_by_deployment(*running: Agent) -> dict[str, list[str]]:
        """{deployment resource name: [deploy_action of each run, oldest
        first, by the time its record was last saved]} of what the agents
        ran (a run cut short by a kill counts);
        the name is the derived config's ``deploy_resource_name`` input."""
        runs = []
        for agent in running:
            for record in agent.records().values():
                deployment = record['deployment']
                inputs = {i['name']: i.get('value')
                          for i in deployment.get('inputs', [])}
                runs.append((record.get('updated_at', 0),
                             inputs['deploy_resource_name'],
                             [inputs.get('deploy_action')] *
                             record.get('runs', 0)))
        found: dict[str, list[str]] = {}
        for _, name, actions in sorted(runs, key=lambda r: r[0]):
            found.setdefault(name, []).extend(actions)
        return found
