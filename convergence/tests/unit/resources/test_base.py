"""The plugin base: identity, data, attributes, update planning, registry."""

import testtools

import convergence.resources as resources
from convergence.exceptions import (InvalidTemplateAttribute,
                                    ResourceFailure, ResourceTypeNotFound,
                                    StackValidationFailed)
from convergence.resources.base import (IN_PLACE, NO_CHANGE, REPLACE,
                                        Resource, ResourceContext,
                                        diff_properties, short_id)
from convergence.resources.properties import STRING, Schema
from convergence.tests.unit.resources.utils import (RESOURCE_UUID, SHORT_ID,
                                                    make_resource)


class Widget(Resource):
    properties_schema = {
        'size': Schema(STRING, update_allowed=True),
        'colour': Schema(STRING),
        'serial': Schema(STRING, immutable=True),
        'fussy': Schema(STRING, update_allowed=True),
    }
    attributes_schema = {'weight': 'How heavy it is.'}

    def needs_replace_with_prop_diff(self, changed, after, before):
        return 'fussy' in changed and after['fussy'] == 'rebuild'

    def _resolve_attribute(self, name):
        return 42


def widget(**props):
    context = ResourceContext(stack_name='st', stack_id='sid',
                              resource_name='w', resource_uuid=RESOURCE_UUID,
                              resource_type='My::Widget')
    base = dict.fromkeys(Widget.properties_schema)
    return Widget('w', dict(base, **props), context)


def new_props(**props):
    return dict(dict.fromkeys(Widget.properties_schema), **props)


class TestIdentity(testtools.TestCase):

    def test_short_id_matches_heat(self):
        self.assertEqual(SHORT_ID, short_id(RESOURCE_UUID))
        self.assertEqual(short_id('anything'), short_id('anything'))
        self.assertRegex(short_id('anything'), '^[a-z2-7]{12}$')

    def test_physical_resource_name(self):
        res = make_resource('OS::Heat::TestResource', name='test1')
        self.assertEqual('st-test1-' + SHORT_ID, res.physical_resource_name())

    def test_reference_id_is_physical_id_else_name(self):
        res = make_resource('OS::Heat::Value', {'value': 1}, name='v')
        self.assertEqual('v', res.get_reference_id())
        res.resource_id_set('phys')
        self.assertEqual('phys', res.get_reference_id())

    def test_id_and_data_changes_reach_the_context_and_engine(self):
        seen = []
        res = make_resource('OS::Heat::Value', {'value': 1},
                            on_change=lambda ctx: seen.append(
                                (ctx.resource_id, dict(ctx.data))))
        res.resource_id_set('x')
        res.data_set('k', 'v')
        self.assertEqual('x', res.context.resource_id)
        self.assertEqual('v', res.data_get('k'))
        self.assertEqual([('x', {}), ('x', {'k': 'v'})], seen)
        res.data_delete('k')
        self.assertIsNone(res.data_get('k'))

    def test_str_is_heats_description(self):
        res = widget()
        self.assertEqual('Widget "w" Stack "st" [sid]', str(res))
        res.resource_id_set('pid')
        self.assertEqual('Widget "w" [pid] Stack "st" [sid]', str(res))


class TestAttributes(testtools.TestCase):

    def test_declared_attribute_resolves(self):
        self.assertEqual(42, widget().get_attribute('weight'))

    def test_show_exists_everywhere(self):
        self.assertTrue(Widget.has_attribute('show'))
        self.assertIsNone(widget().get_attribute('show'))

    def test_unknown_attribute(self):
        exc = self.assertRaises(InvalidTemplateAttribute,
                                widget().get_attribute, 'colour')
        self.assertEqual('The Referenced Attribute (w colour) is incorrect.',
                         str(exc))


class TestPlanUpdate(testtools.TestCase):

    def test_no_difference_is_no_change(self):
        plan = widget(size='s').plan_update(new_props(size='s'))
        self.assertEqual(NO_CHANGE, plan.decision)

    def test_update_allowed_change_is_in_place(self):
        plan = widget(size='s').plan_update(new_props(size='l'))
        self.assertEqual(IN_PLACE, plan.decision)
        self.assertEqual({'size': 'l'}, plan.prop_diff)

    def test_other_change_replaces_with_short_reason(self):
        plan = widget(colour='red').plan_update(new_props(colour='blue'))
        self.assertEqual(REPLACE, plan.decision)
        self.assertEqual('The Resource w requires replacement.', plan.reason)

    def test_plugin_hook_replaces_with_full_reason(self):
        res = widget(fussy='a')
        res.resource_id_set('pid')
        plan = res.plan_update(new_props(fussy='rebuild'))
        self.assertEqual(REPLACE, plan.decision)
        self.assertEqual('The Resource Widget "w" [pid] Stack "st" [sid] '
                         'requires replacement.', plan.reason)
        self.assertEqual(IN_PLACE,
                         res.plan_update(new_props(fussy='b')).decision)

    def test_failed_resource_is_replaced_even_unchanged(self):
        plan = widget().plan_update(new_props(), failed=True)
        self.assertEqual(REPLACE, plan.decision)

    def test_immutable_change_is_refused(self):
        exc = self.assertRaises(ResourceFailure, widget(serial='1').plan_update,
                                new_props(serial='2'))
        self.assertEqual('NotSupported: resources.w: Update to properties '
                         'serial of w (My::Widget) is not supported.',
                         str(exc))

    def test_diff_properties_sees_removed_keys(self):
        self.assertEqual({'a': None, 'b': 2},
                         diff_properties({'a': 1, 'b': 1}, {'b': 2}))


class TestRestrictions(testtools.TestCase):

    def test_restricted_update(self):
        exc = self.assertRaises(ResourceFailure,
                                widget().check_update_restrictions,
                                ['update', 'replace'], IN_PLACE)
        self.assertEqual('update is restricted for resource.',
                         exc.kwargs['reason'])
        self.assertEqual('ResourceActionRestricted: resources.w: update is '
                         'restricted for resource.', str(exc))

    def test_restricted_replace(self):
        exc = self.assertRaises(ResourceFailure,
                                widget().check_update_restrictions,
                                ['replace'], REPLACE)
        self.assertEqual('replace is restricted for resource.',
                         exc.kwargs['reason'])

    def test_unrestricted_actions_pass(self):
        res = widget()
        res.check_update_restrictions(['replace'], IN_PLACE)
        res.check_update_restrictions(['update'], REPLACE)
        res.check_update_restrictions(['update', 'replace'], NO_CHANGE)
        res.check_update_restrictions(None, REPLACE)


class TestRegistry(testtools.TestCase):

    def test_builtin_types(self):
        self.assertEqual(['AWS::AutoScaling::AutoScalingGroup',
                          'AWS::AutoScaling::LaunchConfiguration',
                          'AWS::AutoScaling::ScalingPolicy',
                          'AWS::CloudFormation::WaitCondition',
                          'AWS::CloudFormation::WaitConditionHandle',
                          'AWS::EC2::Instance',
                          'OS::Cinder::EncryptedVolumeType',
                          'OS::Cinder::Volume', 'OS::Cinder::VolumeAttachment',
                          'OS::Cinder::VolumeType', 'OS::Glance::WebImage',
                          'OS::Heat::AutoScalingGroup',
                          'OS::Heat::CloudConfig', 'OS::Heat::Delay',
                          'OS::Heat::DeployedServer',
                          'OS::Heat::InstanceGroup', 'OS::Heat::MultipartMime',
                          'OS::Heat::None', 'OS::Heat::RandomString',
                          'OS::Heat::ResourceChain', 'OS::Heat::ResourceGroup',
                          'OS::Heat::ScalingPolicy',
                          'OS::Heat::SoftwareComponent',
                          'OS::Heat::SoftwareConfig',
                          'OS::Heat::SoftwareDeployment',
                          'OS::Heat::SoftwareDeploymentGroup',
                          'OS::Heat::SoftwareDeployments', 'OS::Heat::Stack',
                          'OS::Heat::StructuredConfig',
                          'OS::Heat::StructuredDeployment',
                          'OS::Heat::StructuredDeploymentGroup',
                          'OS::Heat::StructuredDeployments',
                          'OS::Heat::TestResource',
                          'OS::Heat::UpdateWaitConditionHandle',
                          'OS::Heat::Value', 'OS::Heat::WaitCondition',
                          'OS::Heat::WaitConditionHandle',
                          'OS::Keystone::Domain', 'OS::Keystone::Endpoint',
                          'OS::Keystone::Group',
                          'OS::Keystone::GroupRoleAssignment',
                          'OS::Keystone::Project', 'OS::Keystone::Region',
                          'OS::Keystone::Role', 'OS::Keystone::Service',
                          'OS::Keystone::User',
                          'OS::Keystone::UserRoleAssignment',
                          'OS::Neutron::ExtraRouteSet',
                          'OS::Neutron::FloatingIP',
                          'OS::Neutron::FloatingIPAssociation',
                          'OS::Neutron::Net', 'OS::Neutron::Port',
                          'OS::Neutron::Router',
                          'OS::Neutron::RouterInterface',
                          'OS::Neutron::SecurityGroup',
                          'OS::Neutron::SecurityGroupRule',
                          'OS::Neutron::Subnet', 'OS::Nova::Flavor',
                          'OS::Nova::HostAggregate', 'OS::Nova::KeyPair',
                          'OS::Nova::Server', 'OS::Nova::ServerGroup'],
                         resources.type_names())

    def test_unknown_type(self):
        exc = self.assertRaises(ResourceTypeNotFound, resources.get_class,
                                'OS::Sahara::Cluster')
        self.assertEqual('The Resource Type (OS::Sahara::Cluster) could not be '
                         'found.', str(exc))
        self.assertIsInstance(exc, StackValidationFailed)

    def test_register(self):
        resources.register('My::Widget', Widget)
        self.addCleanup(resources._REGISTRY.pop, 'My::Widget')
        self.assertIs(Widget, resources.get_class('My::Widget'))
