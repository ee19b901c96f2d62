"""Faults with servers, ports and volumes on a real cloud (issue 14 item 5).

Two convergence-engines and our API on MariaDB and RabbitMQ
(functional_tests/deployment.py) behind the cloud's Keystone, acting for a
member of a project of their own (``local_cloud.ProjectUsers``).  What
Nova, Neutron and Cinder hold is checked through their own APIs as that
member:

- an engine SIGKILLed while the servers build (and again mid-delete): the
  stack completes, every server, port and volume exists once, and the
  delete leaves nothing behind;
- an update started while another one runs: the cloud ends as the last
  template says, and what only the first update made is gone;
- a cancelled update that was replacing servers: the rollback brings the
  original servers back and leaves none of the replacements.
"""

import time
import uuid


from functional_tests.cloud import stacks
from functional_tests.cloud import test_nova_stacks
from functional_tests import deployment

# Seconds a traversal may take on the shared cloud, an engine's death and
# its work's recovery included (a server boots in 5-40 s under load).
PHASE_BOUND = 420
ENGINES = 2


def template(prefix: str, servers: int, metadata: str = 'one',
             port_prefix: str = 'p', volume_size: int = 1,
             zone: str | None = None, slow_seconds: int = 0) -> dict:
    """A net and subnet of the stack's own, and ``servers`` servers, each
    on a port of its own with a volume attached; names are fixed
    (``prefix``-...), so anything made twice shows in the cloud under the
    same name."""
    resources = {
        'net': {'type': 'OS::Neutron::Net', 'properties': {}},
        'sub': {'type': 'OS::Neutron::Subnet', 'properties': {
            'network': {'get_resource': 'net'}, 'cidr': '10.93.0.0/24'}}}
    for index in range(servers):
        server = {'name': '%s-srv-%d' % (prefix, index),
                  'image': test_nova_stacks.IMAGE,
                  'flavor': test_nova_stacks.FLAVOR,
                  'metadata': {'generation': metadata},
                  'networks': [{'port': {'get_resource': 'port%d' % index}}]}
        if zone:
            server['availability_zone'] = zone
        resources.update({
            'port%d' % index: {'type': 'OS::Neutron::Port', 'properties': {
                'name': '%s-%s-port-%d' % (prefix, port_prefix, index),
                'network': {'get_resource': 'net'},
                'fixed_ips': [{'subnet': {'get_resource': 'sub'}}]}},
            'server%d' % index: {'type': 'OS::Nova::Server',
                                 'properties': server},
            'vol%d' % index: {'type': 'OS::Cinder::Volume', 'properties': {
                'name': '%s-vol-%d' % (prefix, index),
                'size': volume_size}},
            'att%d' % index: {
                'type': 'OS::Cinder::VolumeAttachment', 'properties': {
                    'instance_uuid': {'get_resource': 'server%d' % index},
                    'volume_id': {'get_resource': 'vol%d' % index}}}})
    if slow_seconds:
        # after every attachment: the update is still running once the
        # servers have been replaced, and can be cancelled then (as in
        # Heat, the rollback lets this create finish, then deletes it)
        resources['slow'] = {
            'type': 'OS::Heat::TestResource',
            'depends_on': ['att%d' % i for i in range(servers)],
            'properties': {'action_wait_secs': {'create': slow_seconds}}}
    return {'heat_template_version': '2018-08-31', 'resources': resources}


class CloudFaultTest(stacks.CloudStackTest):
    """CloudStackTest's calls, on a deployment of two engines."""

    users_prefix = 'conv-fault'

    @classmethod
    def make_server(cls, sections: dict):
        return deployment.Deployment(backend='mariadb', engines=ENGINES,
                                     sections=sections)

    def setUp(self):
        super().setUp()
        for index in range(ENGINES):
            if not self.server.engines[index].alive():
                self.server.start_engine(index)
        try:
            list(self.member.block_storage.volumes())
        except Exception as exc:
            self.skipTest('the cloud\'s block storage does not answer: %s'
                          % exc)
        # the test's own names: what another test left cannot count here
        self.prefix = 'cf%s' % uuid.uuid4().hex[:6]

    # --- the cloud, as the member sees it ---

    def create_stack(self, tmpl: dict) -> str:
        stack_id = self.create(self.prefix, tmpl)
        self.addCleanup(self._delete_quietly, stack_id)
        return stack_id

    def _delete_quietly(self, stack_id: str) -> None:
        if self.stack(self.prefix, stack_id) is not None:
            self.call('DELETE', '/stacks/%s/%s' % (self.prefix, stack_id))

    def in_cloud(self) -> dict:
        """Names -> ids of what the member's project holds under this
        test's names, by kind; a name made twice maps to several ids."""
        project = self.users.project.id
        found: dict[str, dict] = {'server': {}, 'port': {}, 'volume': {}}
        for kind, things in (
                ('server', self.member.compute.servers()),
                ('port', self.member.network.ports(project_id=project)),
                ('volume', self.member.block_storage.volumes())):
            for thing in things:
                if (thing.name or '').startswith(self.prefix):
                    found[kind].setdefault(thing.name, set()).add(thing.id)
        found['network'] = {n.id for n in self.member.network.networks(
            project_id=project) if n.name.startswith(self.prefix)}
        return found

    def assert_made_once(self, servers: int, port_prefix: str = 'p'):
        """Each of the template's servers, ports and volumes exists once,
        nothing else; the volumes are attached to their own servers.
        Returns the servers' ids by name."""
        found = self.in_cloud()
        wanted = {
            'server': {'%s-srv-%d' % (self.prefix, i)
                       for i in range(servers)},
            'port': {'%s-%s-port-%d' % (self.prefix, port_prefix, i)
                     for i in range(servers)},
            'volume': {'%s-vol-%d' % (self.prefix, i)
                       for i in range(servers)}}
        for kind, names in wanted.items():
            self.assertEqual({n: 1 for n in names},
                             {n: len(ids) for n, ids in found[kind].items()},
                             kind)
        servers_by_name = {n: next(iter(ids))
                           for n, ids in found['server'].items()}
        for name, ids in found['volume'].items():
            volume = self.member.block_storage.get_volume(next(iter(ids)))
            index = name.rsplit('-', 1)[1]
            self.assertEqual(
                ('in-use', [servers_by_name['%s-srv-%s' % (self.prefix,
                                                           index)]]),
                (volume.status, [a['server_id']
                                 for a in volume.attachments]), name)
        return servers_by_name

    def assert_nothing_left(self):
        found = self.in_cloud()
        self.assertEqual({'server': {}, 'port': {}, 'volume': {},
                          'network': set()}, found)

    def wait_for_building_servers(self, stack_id: str, count: int,
                                  timeout: float = 300) -> None:
        """Until the stack's ``count`` server rows name what Nova made and
        one of those servers is still building: the moment to kill an
        engine (the servers build; no request to Nova is under way)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            made = {row['physical_resource_id'] for row in
                    self.server.db.resources_of_stack(stack_id)
                    if row['name'].startswith('server')
                    and row['physical_resource_id']}
            if len(made) >= count and any(
                    s.status == 'BUILD' and s.id in made
                    for s in self.member.compute.servers()):
                return
            time.sleep(0.2)
        self.fail('the stack\'s %d servers were never seen building' % count)

    def engine_holding_a_server(self, stack_id: str) -> int:
        """The index of an engine that holds a server's row now (the
        engine converging it), else engine 0."""
        for row in self.server.db.resources_of_stack(stack_id):
            if row['name'].startswith('server') and row['engine_id'] in \
                    self.server.engine_ids:
                return self.server.engine_ids.index(row['engine_id'])
        return 0

    def delete_and_wait(self, name: str, stack_id: str) -> None:
        status, body = self.call('DELETE',
                                 '/stacks/%s/%s' % (name, stack_id))
        self.assertEqual(204, status, body)
        self.wait(name, stack_id, 'DELETE_COMPLETE', PHASE_BOUND)

    # --- the faults ---

    def test_an_engine_killed_while_servers_build_makes_nothing_twice(self):
        name = self.prefix
        stack_id = self.create_stack(template(name, 3))
        self.wait_for_building_servers(stack_id, 3)
        victim = self.engine_holding_a_server(stack_id)
        self.server.kill_engine(victim)
        time.sleep(2)
        self.server.start_engine(victim)
        self.wait(name, stack_id, 'CREATE_COMPLETE', PHASE_BOUND)
        servers = self.assert_made_once(3)
        self.assertEqual(set(servers.values()),
                         {r['physical_resource_id'] for n, r in
                          self.resources(name, stack_id).items()
                          if n.startswith('server')})

        status, body = self.call('DELETE',
                                 '/stacks/%s/%s' % (name, stack_id))
        self.assertEqual(204, status, body)
        time.sleep(1.5)
        self.server.kill_engine(self.engine_holding_a_server(stack_id))
        self.wait(name, stack_id, 'DELETE_COMPLETE', PHASE_BOUND)
        self.assert_nothing_left()

    def test_an_update_during_an_update_ends_as_the_last_template(self):
        name = self.prefix
        stack_id = self.create_stack(template(name, 2))
        self.wait(name, stack_id, 'CREATE_COMPLETE', PHASE_BOUND)
        created = self.assert_made_once(2)

        # the first update adds a third server and renames the ports; the
        # second, sent while the first runs, goes back to two servers with
        # other metadata and bigger volumes
        self.update(name, stack_id, template(name, 3, 'two',
                                             port_prefix='q'))
        self.wait_for_building_servers(stack_id, 3)
        self.update(name, stack_id, template(name, 2, 'three',
                                             port_prefix='r', volume_size=2))
        self.wait(name, stack_id, 'UPDATE_COMPLETE', PHASE_BOUND)
        servers = self.assert_made_once(2, port_prefix='r')
        self.assertEqual(created, servers)  # changed in place, not remade
        for server_id in servers.values():
            self.assertEqual(
                {'generation': 'three'},
                self.member.compute.get_server(server_id).metadata)
        self.assertEqual({2}, {v.size for v in
                               self.member.block_storage.volumes()
                               if v.name.startswith(name)})

        self.delete_and_wait(name, stack_id)
        self.assert_nothing_left()

    def test_a_cancelled_replacing_update_rolls_back_in_the_cloud(self):
        name = self.prefix
        stack_id = self.create_stack(template(name, 2))
        self.wait(name, stack_id, 'CREATE_COMPLETE', PHASE_BOUND)
        self.assert_made_once(2)

        # a new availability zone replaces each server (Heat's
        # update_allowed: no); the slow resource after them keeps the
        # update running a minute more, and it is cancelled meanwhile
        self.update(name, stack_id, template(name, 2, zone='nova',
                                             slow_seconds=60))
        deadline = time.monotonic() + PHASE_BOUND
        while time.monotonic() < deadline:
            resources = self.resources(name, stack_id)
            if resources.get('slow', {}).get('resource_status') == \
                    'CREATE_IN_PROGRESS':
                break
            time.sleep(1)
        else:
            self.fail('the update never reached its slow resource')
        replacements = {r['physical_resource_id'] for n, r in
                        self.resources(name, stack_id).items()
                        if n.startswith('server')}

        status, body = self.call('POST', '/stacks/%s/%s/actions' % (
            name, stack_id), {'cancel_update': None})
        self.assertEqual(200, status, body)
        self.wait(name, stack_id, 'ROLLBACK_COMPLETE', PHASE_BOUND)
        # back to the first template: one of each, none in the zone the
        # cancelled template asked for, the stack's ids what Nova holds
        servers = self.assert_made_once(2)
        self.assertEqual(set(servers.values()), {
            r['physical_resource_id'] for n, r in
            self.resources(name, stack_id).items() if n.startswith('server')})
        self.assertNotIn('slow', self.resources(name, stack_id))
        self.assertEqual(set(), replacements & set(servers.values()))

        self.delete_and_wait(name, stack_id)
        self.assert_nothing_left()
