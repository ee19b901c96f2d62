"""A server in a stack snapshot, and one whose deletion policy is
"Snapshot", on the in-memory cloud (Heat's test_stack_snapshot_restore,
and what it leaves out).

The snapshot asks Nova for an image of the server and waits for Glance to
have it; the restore rebuilds the same server on that image, or boots a
new one from it when the server was deleted meanwhile; deleting the
snapshot, or the stack, deletes the image.
"""

from convergence.tests.scenarios import test_nova_scenarios as nova

TINY = 'tiny'


class ServerSnapshotTest(nova.NovaCloudScenario):

    def snapshot(self) -> dict:
        s = self.scenario
        s.snapshot_stack(nova.NAME)
        s.run()
        return s.engine_service.show_snapshot(
            s.context, s._identity(nova.NAME), s.snapshot_ids[-1])

    def restore(self) -> None:
        self.scenario.restore_stack(nova.NAME)
        self.scenario.run()

    def images(self) -> dict:
        return self.clouds.cloud.image.resources

    def image_of(self, server_id: str) -> str:
        return self.servers()[server_id]['image']['id']

    def test_a_restore_rebuilds_the_server_on_its_snapshot_image(self):
        self.create(nova.template())
        [server] = list(self.servers())
        [tiny] = list(self.images())
        snapshot = self.snapshot()
        self.assertEqual(('CREATE', 'COMPLETE'),
                         (snapshot['action'], snapshot['status']))
        self.assertTrue(self.state().startswith('SNAPSHOT_COMPLETE'),
                        self.state())
        [image_id] = set(self.images()) - {tiny}
        image = self.images()[image_id]
        self.assertEqual(('active', server), (image['status'],
                                              image['instance_uuid']))
        entry = snapshot['data']['resources']['server']
        self.assertEqual(image_id,
                         entry['resource_data']['snapshot_image_id'])

        self.restore()
        self.assertTrue(self.state().startswith('RESTORE_COMPLETE'),
                        self.state())
        self.assertEqual([server], list(self.servers()))
        self.assertEqual(image_id, self.image_of(server))
        rebuilt = [(call[2], call[3]['imageRef']) for call in
                   self.compute.calls if call[:2] == ('rebuild', 'server')]
        self.assertIn((server, image_id), rebuilt)

        s = self.scenario
        s.call(s.engine_service.delete_snapshot, s.context,
               s._identity(nova.NAME), s.snapshot_ids[-1])
        s.run()
        self.assertEqual({tiny}, set(self.images()))

    def test_a_server_deleted_since_boots_from_the_snapshot_image(self):
        self.create(nova.template())
        [old] = list(self.servers())
        self.snapshot()
        [image_id] = set(self.images()) - {
            i for i, image in self.images().items() if image['name'] == TINY}
        without_server = nova.template()
        del without_server['resources']['server']
        without_server['outputs'] = {}
        self.update(without_server)
        self.assertEqual({}, self.servers())
        self.restore()
        self.assertTrue(self.state().startswith('RESTORE_COMPLETE'),
                        self.state())
        [new] = list(self.servers())
        self.assertNotEqual(old, new)
        self.assertEqual(image_id, self.image_of(new))

    def test_an_image_nova_could_not_make_fails_the_snapshot(self):
        self.create(nova.template())
        image = self.clouds.cloud.image
        original = self.compute._server_createImage

        def killed(server, args):
            made = original(server, args)
            image._next_status[made['image_id']] = 'killed'
            return made
        self.compute._server_createImage = killed
        snapshot = self.snapshot()
        self.assertEqual(('CREATE', 'FAILED'),
                         (snapshot['action'], snapshot['status']))
        self.assertIn('SNAPSHOT_FAILED', self.state())
        self.assertIn('is killed', self.state())

    def test_deleting_the_stack_deletes_its_snapshot_images(self):
        self.create(nova.template())
        self.snapshot()
        self.assertEqual(2, len(self.images()))
        self.scenario.delete_stack(nova.NAME)
        self.scenario.run()
        self.assertEqual([TINY], [i['name'] for i in self.images().values()])
        self.assertEqual({}, self.servers())

    def snapshot_policy_template(self) -> dict:
        tmpl = nova.template()
        tmpl['resources']['server']['deletion_policy'] = 'Snapshot'
        return tmpl

    def test_the_snapshot_deletion_policy_images_the_server_first(self):
        self.create(self.snapshot_policy_template())
        [server] = list(self.servers())
        self.scenario.delete_stack(nova.NAME)
        self.scenario.run()
        self.assertEqual({}, self.servers())
        [kept] = [i for i in self.images().values() if i['name'] != TINY]
        self.assertEqual(('active', server),
                         (kept['status'], kept['instance_uuid']))
        self.assertIsNone(self.scenario.db.stack_get_by_name('test',
                                                             nova.NAME))

    def test_a_failed_server_is_deleted_without_an_image(self):
        """As Heat: no image of a FAILED server.  Nova shows a server in
        ERROR as ERROR (task_state deleting) until it is gone: the delete
        waits for that instead of failing on the status."""
        self.compute.fail_build('no valid host', 500)
        self.create(self.snapshot_policy_template())
        self.assertIn('CREATE_FAILED', self.state())
        self.scenario.delete_stack(nova.NAME)
        self.scenario.run()
        self.assertEqual({}, self.servers())
        self.assertEqual([TINY], [i['name'] for i in self.images().values()])
