"""import-heat against a database that upstream Heat 27.0.1 filled.

Upstream heat-engine and heat-api (functional_tests/upstream_heat.py), on
PostgreSQL, create a flat stack (RandomString, TestResource, None,
outputs; snapshotted, then updated), a stack with a provider template, a
ResourceGroup, a stack of a type we have no plugin for, and two stacks
heat-engine is SIGKILLed in, one mid-create and one mid-update.  Heat's
answers are saved, Heat is stopped, ``convergence-manage import-heat``
brings the stacks into a fresh SQLite database (a dry run first, then the
import, then once more), ``convergence-all`` starts on it, and the
``openstack`` client must answer as it did against Heat.  Updates, the
restore of Heat's snapshot and deletes then converge.  The same, smaller,
with Heat on MariaDB imported into PostgreSQL.  Skipped without the Heat
venv (or its database driver)."""

import json
import os
import subprocess
import tempfile
import uuid

from heatclient import client as heat_client
import testtools

from functional_tests import cli
from functional_tests import processes
from functional_tests import server as server_mod
from functional_tests import services
from functional_tests import upstream_heat
from functional_tests import waiting

# Seconds a stack operation of these templates may take on either engine.
STACK_TIMEOUT = 120
HOT = 'heat_template_version: 2018-08-31\n'
FLAT = HOT + """
parameters:
  greeting: {type: string, default: hello}
resources:
  rand:
    type: OS::Heat::RandomString
    properties: {length: 12}
  test:
    type: OS::Heat::TestResource
    properties:
      value: {list_join: ['-', [{get_param: greeting}, {get_attr: [rand, value]}]]}
  none:
    type: OS::Heat::None
    depends_on: test
outputs:
  word:
    value: {get_attr: [test, output]}
  rand_ref:
    value: {get_resource: rand}
"""
PROVIDER = HOT + """
parameters:
  word: {type: string}
resources:
  inner:
    type: OS::Heat::TestResource
    properties: {value: {get_param: word}}
outputs:
  echoed:
    value: {get_attr: [inner, output]}
"""
NESTED = HOT + """
parameters:
  word: {type: string, default: nested-hi}
resources:
  child:
    type: provider.yaml
    properties: {word: {get_param: word}}
  after:
    type: OS::Heat::TestResource
    properties: {value: {get_attr: [child, echoed]}}
outputs:
  from_child:
    value: {get_attr: [child, echoed]}
"""
GROUP = HOT + """
parameters:
  count: {type: number, default: 3}
resources:
  group:
    type: OS::Heat::ResourceGroup
    properties:
      count: {get_param: count}
      resource_def:
        type: OS::Heat::TestResource
        properties: {value: member-%index%}
outputs:
  values:
    value: {get_attr: [group, output]}
"""
SLOW = HOT + """
parameters:
  wait: {type: number, default: 600}
  value: {type: string, default: slow}
resources:
  quick:
    type: OS::Heat::None
  slow:
    type: OS::Heat::TestResource
    depends_on: quick
    properties:
      value: {get_param: value}
      action_wait_secs:
        create: {get_param: wait}
        update: {get_param: wait}
"""
# What comes over: two stacks heat-engine dies in (mid-create, mid-update).
STACKS = ('flat', 'nested', 'grp', 'dying', 'halted')
# A scaling group needs no other service in Heat; its members and cooldown
# have no counterpart in Heat's resource data, so its tree is refused.
REFUSED_TYPE = HOT + """
resources:
  group:
    type: OS::Heat::AutoScalingGroup
    properties:
      min_size: 1
      max_size: 1
      resource: {type: OS::Heat::None}
"""


class ImportHeatTest(testtools.TestCase, cli.CliMixin):
    """Heat's stacks, imported, answer as they did and converge."""

    def setUp(self):
        super().setUp()
        self.work = tempfile.mkdtemp(prefix='convergence-import-')
        self.addCleanup(subprocess.run, ['rm', '-rf', self.work])

    def _heat(self, backend: str) -> upstream_heat.UpstreamHeat:
        reason = upstream_heat.unavailable_reason(backend)
        if reason:
            self.skipTest(reason)
        heat = self.useFixture(upstream_heat.UpstreamHeat(backend))
        self.endpoint = heat.endpoint
        self.client = heat_client.Client('1', endpoint=heat.endpoint,
                                         token='x')
        return heat

    # -- on Heat ----------------------------------------------------------

    def create(self, name: str, template: str, wait_for='CREATE_COMPLETE',
               **kwargs) -> str:
        created = self.client.stacks.create(stack_name=name,
                                            template=template, **kwargs)
        if wait_for:
            self.wait_status(name, wait_for)
        return created['stack']['id']

    def wait_status(self, name: str, expected: str) -> None:
        last = {}

        def probe():
            last['status'] = self.client.stacks.get(name).stack_status
            return last['status'] == expected
        waiting.wait_until(probe, STACK_TIMEOUT, '%s %s' % (name, expected),
                           describe=lambda: last.get('status'))

    def answers(self, name: str) -> dict:
        """What the openstack client shows of a stack: ``stack show``, a
        ``resource show`` of each resource, ``output show --all``,
        ``resource list -n 3`` and ``event list``; links name no server,
        outputs are sorted, and what Heat does not show (``progress``) is
        left out."""
        def show(*args):
            text = self.openstack(*args, '-f', 'json')
            return json.loads(text.replace(self.endpoint, '<endpoint>'))
        stack = show('stack', 'show', name)
        stack.pop('progress', None)
        # In the order of the template's keys: Heat keeps the JSON's order,
        # we store templates with sorted keys.
        stack['outputs'] = sorted(stack.get('outputs') or [],
                                  key=lambda o: o['output_key'])
        rows = show('stack', 'resource', 'list', name)
        return {
            'stack': stack,
            'resource_show': {
                r['resource_name']: _shown(show('stack', 'resource', 'show',
                                                name, r['resource_name']))
                for r in rows},
            'output_show': show('stack', 'output', 'show', '--all', name),
            'resources': sorted(show('stack', 'resource', 'list', '-n', '3',
                                     name),
                                key=lambda r: (r.get('stack_name', ''),
                                               r['resource_name'])),
            'events': [(e['resource_name'], e['resource_status'],
                        e['resource_status_reason'])
                       for e in show('stack', 'event', 'list', name)],
        }

    # -- the import ---------------------------------------------------------

    def manage(self, *args: str, check_exit: int = 0) -> str:
        result = subprocess.run(
            [processes.console_script('convergence-manage'), '--config-file',
             self.conf] + list(args), capture_output=True, text=True,
            timeout=STACK_TIMEOUT)
        self.assertEqual(check_exit, result.returncode,
                         result.stdout + result.stderr)
        return result.stdout

    def our_database(self, backend: str) -> str:
        """A fresh database of ours, at head: SQLite (the embedded
        default) or a private one on a database server."""
        if backend == 'sqlite':
            url = 'sqlite:///' + os.path.join(self.work, 'convergence.sqlite')
        else:
            database = services.database(
                backend, 'convergence_ft_import_%s' % uuid.uuid4().hex[:10])
            database.create()
            self.addCleanup(database.drop)
            url = database.url
        self.conf = os.path.join(self.work, 'convergence.conf')
        with open(self.conf, 'w') as conf:
            conf.write('[database]\nconnection = %s\n' % url)
        self.manage('db_sync')
        return url

    def start_ours(self, url: str) -> None:
        server = self.useFixture(_ServerOn(url))
        self.endpoint = server.endpoint
        self.client = heat_client.Client('1', endpoint=server.endpoint,
                                         token='x')

    def import_heat(self, heat_url: str, ids: dict, repaired) -> None:
        """A dry run, the import, the import again: each reports every
        tree, the one holding a scaling group refused (exit status 1)."""
        count = len(ids) - 1
        dry = self.manage('import-heat', '--heat-connection', heat_url,
                          '--dry-run', check_exit=1)
        self.assertIn('dry run: %d imported, 0 skipped, 1 refused' % count,
                      dry)
        self.assertIn('stack cfg (%s), resource group: a '
                      'OS::Heat::AutoScalingGroup cannot be brought over'
                      % ids['cfg'], dry)
        self.assertIn('stack flat (%s): would be imported' % ids['flat'],
                      dry)
        imported = self.manage('import-heat', '--heat-connection', heat_url,
                               check_exit=1)
        self.assertIn('%d imported, 0 skipped, 1 refused' % count, imported)
        for name in repaired:
            self.assertIn('left IN_PROGRESS by a dead engine, now FAILED: %s'
                          % ids[name], imported)
        again = self.manage('import-heat', '--heat-connection', heat_url,
                            check_exit=1)
        self.assertIn('0 imported, %d skipped, 1 refused' % count, again)

    # -- the scenarios -------------------------------------------------------

    def test_postgresql(self):
        """Heat on PostgreSQL, every kind of stack, imported into SQLite."""
        heat = self._heat('postgresql')
        ids = {
            'flat': self.create('flat', FLAT, parameters={'greeting': 'hi'}),
            'nested': self.create('nested', NESTED,
                                  files={'provider.yaml': PROVIDER}),
            'grp': self.create('grp', GROUP),
            'cfg': self.create('cfg', REFUSED_TYPE),
            'dying': self.create('dying', SLOW, wait_for=None),
            'halted': self.create('halted', SLOW, parameters={'wait': 0}),
        }
        snapshot = self.client.stacks.snapshot('flat', 'before')
        self.wait_snapshot(snapshot['id'])
        self.client.stacks.update('flat', existing=True,
                                  parameters={'greeting': 'hey'})
        self.wait_status('flat', 'UPDATE_COMPLETE')
        # (Heat's TestResource waits in an update that changes its value)
        self.client.stacks.update('halted', existing=True,
                                  parameters={'wait': 600, 'value': 'slower'})
        self.wait_resource('dying', 'slow', 'CREATE_IN_PROGRESS')
        self.wait_resource('halted', 'slow', 'UPDATE_IN_PROGRESS')
        before = {name: self.answers(name) for name in STACKS}
        snapshots_before = self.openstack('stack', 'snapshot', 'list',
                                          'flat', '-f', 'json')
        heat.kill_engine()
        heat.stop()

        url = self.our_database('sqlite')
        self.import_heat(heat.database.url, ids, ('dying', 'halted'))
        self.start_ours(url)
        self.assertEqual(sorted(STACKS), sorted(
            s.stack_name for s in self.client.stacks.list()))
        # What Heat answered is all there: nested rows included.
        self.assertEqual(3, len(before['flat']['resources']))
        self.assertEqual(12, len(before['flat']['resource_show']['rand'][
            'attributes']['value']))
        self.assertEqual(2, len(before['flat']['output_show']))
        self.assertEqual(3, len(before['nested']['resources']))
        self.assertEqual(4, len(before['grp']['resources']))
        for name in ('flat', 'nested', 'grp'):
            self.assertEqual(before[name], self.answers(name), name)
        self.assertEqual(json.loads(snapshots_before), json.loads(
            self.openstack('stack', 'snapshot', 'list', 'flat', '-f',
                           'json')))
        self._check_repaired(before['dying'], self.answers('dying'),
                             'CREATE')
        self._check_repaired(before['halted'], self.answers('halted'),
                             'UPDATE')
        self._converge(before)

    def test_mariadb(self):
        """Heat on MariaDB, imported into PostgreSQL: the flat stack and
        one heat-engine died in."""
        heat = self._heat('mariadb')
        ids = {'flat': self.create('flat', FLAT,
                                   parameters={'greeting': 'hi'}),
               'cfg': self.create('cfg', REFUSED_TYPE),
               'dying': self.create('dying', SLOW, wait_for=None)}
        self.wait_resource('dying', 'slow', 'CREATE_IN_PROGRESS')
        before = {name: self.answers(name) for name in ('flat', 'dying')}
        heat.kill_engine()
        heat.stop()

        url = self.our_database('postgresql')
        self.import_heat(heat.database.url, ids, ('dying',))
        self.start_ours(url)
        self.assertEqual(before['flat'], self.answers('flat'))
        self._check_repaired(before['dying'], self.answers('dying'),
                             'CREATE')
        self.client.stacks.update('flat', existing=True,
                                  parameters={'greeting': 'bye'})
        self.client.stacks.update('dying', existing=True,
                                  parameters={'wait': 0})
        for name in ('flat', 'dying'):
            self.wait_status(name, 'UPDATE_COMPLETE')
        for name in ('flat', 'dying'):
            self.client.stacks.delete(name)
        waiting.wait_until(lambda: not list(self.client.stacks.list()),
                           STACK_TIMEOUT, 'every stack deleted')

    def wait_snapshot(self, snapshot_id: str) -> None:
        def probe():
            found = self.client.stacks.snapshot_show('flat', snapshot_id)
            return found['snapshot']['status'] == 'COMPLETE'
        waiting.wait_until(probe, STACK_TIMEOUT, 'snapshot of flat')

    def wait_resource(self, stack: str, name: str, expected: str) -> None:
        waiting.wait_until(
            lambda: self.client.resources.get(stack, name).resource_status
            == expected, STACK_TIMEOUT, '%s %s' % (name, expected))

    def _check_repaired(self, heat_said: dict, ours: dict,
                        action: str) -> None:
        """A stack heat-engine died in: FAILED with Heat's reason, the
        resource in progress too, the rest as Heat had it."""
        reason = 'Engine went down during stack %s' % action
        name = heat_said['stack']['stack_name']
        self.assertEqual(action + '_IN_PROGRESS',
                         heat_said['stack']['stack_status'])
        expected = dict(heat_said['stack'], stack_status=action + '_FAILED',
                        stack_status_reason=reason)
        self.assertEqual(expected, ours['stack'])
        self.assertEqual(dict(heat_said['resource_show']['slow'],
                              resource_status=action + '_FAILED',
                              resource_status_reason=reason),
                         ours['resource_show']['slow'])
        statuses = {r['resource_name']: r['resource_status']
                    for r in ours['resources']}
        self.assertEqual({'quick': heat_said['resource_show']['quick'][
            'resource_status'], 'slow': action + '_FAILED'}, statuses)
        self.assertEqual(heat_said['events'],
                         ours['events'][:len(heat_said['events'])])
        self.assertEqual([('slow', action + '_FAILED', reason),
                          (name, action + '_FAILED', reason)],
                         ours['events'][len(heat_said['events']):])

    def _converge(self, before: dict) -> None:
        """Updates converge from the imported state; deletes remove all."""
        rand_value = before['flat']['output_show']
        self.client.stacks.update('flat', existing=True,
                                  parameters={'greeting': 'bye'})
        self.client.stacks.update('grp', existing=True,
                                  parameters={'count': 2})
        self.client.stacks.update('nested', existing=True,
                                  parameters={'word': 'nested-bye'})
        for name in ('dying', 'halted'):
            self.client.stacks.update(name, existing=True,
                                      parameters={'wait': 0})
        for name in STACKS:
            self.wait_status(name, 'UPDATE_COMPLETE')
        outputs = {o['output_key']: o['output_value'] for o in
                   self.client.stacks.get('flat').outputs}
        # The RandomString stood: the same string, now after "bye".
        self.assertEqual('bye-%s' % outputs['rand_ref'], outputs['word'])
        self.assertIn(outputs['rand_ref'], json.dumps(rand_value))
        self.assertEqual(['member-0', 'member-1'], self.client.stacks.output_show(
            'grp', 'values')['output']['output_value'])
        self.assertEqual('nested-bye', self.client.stacks.output_show(
            'nested', 'from_child')['output']['output_value'])
        self._restore_heats_snapshot(outputs['rand_ref'])
        for name in STACKS:
            self.client.stacks.delete(name)
        waiting.wait_until(lambda: not list(self.client.stacks.list()),
                           STACK_TIMEOUT, 'every stack deleted')

    def _restore_heats_snapshot(self, rand_value: str) -> None:
        """The snapshot Heat took restores here: greeting hi again."""
        [snapshot] = self.client.stacks.snapshot_list('flat')['snapshots']
        self.client.stacks.restore('flat', snapshot['id'])
        self.wait_status('flat', 'RESTORE_COMPLETE')
        self.assertEqual('hi-%s' % rand_value, self.client.stacks.output_show(
            'flat', 'word')['output']['output_value'])


def _shown(resource: dict) -> dict:
    """A resource show, but for the attributes of a group that Heat 27
    shows as None and our engine computes (``attributes``, ``refs_map``):
    a difference of the engine's, the same for stacks it created."""
    if resource.get('resource_type') == 'OS::Heat::ResourceGroup':
        resource = dict(resource, attributes={
            k: v for k, v in resource['attributes'].items()
            if k not in ('attributes', 'refs_map')})
    return resource


class _ServerOn(server_mod.ServerFixture):
    """convergence-all on the database the import filled."""

    def __init__(self, url: str):
        super().__init__()
        self._url = url

    @property
    def database_url(self) -> str:
        return self._url
