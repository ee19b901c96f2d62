"""The config types' actions on a real store (SQLite in memory): a create
repeated stores one config, a delete of a config that is gone succeeds,
an action without a store fails saying so."""

import testtools

from convergence import exceptions
from convergence.resources import properties
from convergence.resources import software_config
from convergence.resources.base import ResourceContext
from db import api as db_api


def plugin(store, cls=software_config.SoftwareConfig, props=None,
           uuid='7d5a1b2c-0000-4000-8000-000000000001'):
    context = ResourceContext(stack_name='st', stack_id='sid',
                              resource_name='c', resource_uuid=uuid,
                              tenant='t', software_configs=store)
    values = properties.validate_properties(cls, 'c', props or {
        'config': 'echo', 'group': 'script'})
    return cls('c', values, context)


class SoftwareConfigActionsTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.db = db_api.Database('sqlite://')
        self.db.create_schema()

    def test_a_repeated_create_stores_one_config(self):
        first = plugin(self.db)
        first.handle_create()
        again = plugin(self.db)
        again.handle_create()
        self.assertEqual(first.resource_id, again.resource_id)
        self.assertEqual(1, len(self.db.software_configs('t')))
        self.assertEqual('echo', again.get_attribute('config'))
        self.assertEqual(first.resource_id, again.get_reference_id())

    def test_another_resource_gets_another_config(self):
        plugin(self.db).handle_create()
        plugin(self.db, uuid='7d5a1b2c-0000-4000-8000-000000000002'
               ).handle_create()
        self.assertEqual(2, len(self.db.software_configs('t')))

    def test_delete_of_a_config_already_gone_succeeds(self):
        config = plugin(self.db)
        config.handle_create()
        self.db.software_config_delete(config.resource_id)
        config.handle_delete()
        self.assertEqual([], self.db.software_configs('t'))

    def test_before_create_there_is_no_config_attribute(self):
        self.assertIsNone(plugin(self.db).get_attribute('config'))

    def test_an_action_without_a_store_fails_saying_so(self):
        error = self.assertRaises(exceptions.Error,
                                  plugin(None).handle_create)
        self.assertIn('no software config store', error.message)
