"""OS::Glance::WebImage on the in-memory Glance."""

import testtools

from convergence.exceptions import StackValidationFailed
from convergence.resources.base import IN_PLACE, REPLACE
from convergence.resources.runner import run_action
from convergence.tests.unit.resources.neutron.fixtures import OnCloud
from convergence.tests.unit.resources.utils import validated

TYPE = 'OS::Glance::WebImage'
URL = 'http://127.0.0.1/cirros.img'


def props(**extra) -> dict:
    return dict({'name': 'web', 'disk_format': 'raw',
                 'container_format': 'bare', 'location': URL}, **extra)


class WebImageTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.on = OnCloud()
        self.glance = self.on.cloud.image

    def stored(self, res) -> dict:
        return self.glance.resources[res.resource_id]

    def test_a_create_imports_the_url_and_waits_until_active(self):
        res = self.on.created(TYPE, props(
            tags=['a'], os_distro='cirros', extra_properties={'x': 'y'}),
            'img')
        image = self.stored(res)
        self.assertEqual(('active', 'raw', 'bare', ['a'], 'cirros', 'y'), (
            image['status'], image['disk_format'], image['container_format'],
            image['tags'], image['os_distro'], image['x']))
        self.assertIn(('import', res.resource_id, URL), self.glance.calls)
        self.assertNotIn('location', image)
        self.assertEqual('web', res.get_attribute('show')['name'])

    def test_a_failed_import_fails_with_glances_reason(self):
        self.glance.fail_import('Import of URL http://10.0.0.1:8080/x is '
                                'not allowed: port 8080 is not allowed')
        res = self.on.plugin(TYPE, props(), 'img')
        self.assertEqual(
            'ResourceInError: resources.img: Went to status queued due to '
            '"Import of URL http://10.0.0.1:8080/x is not allowed: port 8080 '
            'is not allowed"', self.on.failure(res, 'CREATE'))

    def test_an_inactive_image_is_deactivated_once_imported(self):
        res = self.on.created(TYPE, props(active=False), 'img')
        self.assertEqual('deactivated', self.stored(res)['status'])
        run_action(res, 'CHECK', res.context.clock)
        res, _ = self.on.updated_as_engine(res, props(active=True))
        self.assertEqual('active', self.stored(res)['status'])

    def test_properties_tags_and_members_change_in_place(self):
        res = self.on.created(TYPE, props(
            tags=['a', 'b'], architecture='x86_64',
            extra_properties={'x': '1', 'gone': '2'}), 'img')
        res, plan = self.on.updated_as_engine(res, props(
            tags=['b', 'c'], extra_properties={'x': '3'},
            visibility='shared', members=['p2'], protected=True))
        self.assertEqual(IN_PLACE, plan.decision)
        image = self.stored(res)
        self.assertEqual((['b', 'c'], '3', 'shared', ['p2'], True), (
            sorted(image['tags']), image['x'], image['visibility'],
            image['members'], image['protected']))
        self.assertNotIn('gone', image)
        self.assertNotIn('architecture', image)
        self.assertEqual(REPLACE, res.plan_update(validated(TYPE, props(
            location='http://127.0.0.1/other.img'), 'img')).decision)

    def test_a_delete_of_a_gone_image_succeeds_and_a_check_names_it(self):
        res = self.on.created(TYPE, props(), 'img')
        del self.glance.resources[res.resource_id]
        self.assertIn('Image %s could not be found.' % res.resource_id,
                      self.on.failure(res, 'CHECK'))
        run_action(res, 'DELETE', res.context.clock)

    def test_heats_validation_rules(self):
        error = self.assertRaises(StackValidationFailed, validated, TYPE,
                                  props(container_format='ami'))
        self.assertIn('Invalid mix of disk and container formats', str(error))
        error = self.assertRaises(StackValidationFailed, validated, TYPE,
                                  props(members=['p1']))
        self.assertIn('members property should only be specified for '
                      'visibility with value shared.', str(error))
