"""Resource types: the plugin API and the registry of type names.

``get_class('OS::Heat::TestResource')`` gives the plugin class; plugins of
other projects join with ``register``.  See ``base`` for the plugin API,
``properties`` for schemas and validation and ``runner`` for driving actions.
"""

from convergence.exceptions import ResourceTypeNotFound, \
    ResourceTypeNotImplemented
from convergence.resources.aws import cfn_wait_condition
from convergence.resources.aws.ec2_instance import Instance
from convergence.resources.autoscaling_group import AutoScalingGroup
from convergence.resources.aws_autoscaling_group import AWSAutoScalingGroup
from convergence.resources.aws_scaling_policy import AWSScalingPolicy
from convergence.resources.base import Resource
from convergence.resources import deployment_group
from convergence.resources.deployed_server import DeployedServer
from convergence.resources import cloud_lookup
from convergence.resources.cinder.encrypted_volume_type import \
    EncryptedVolumeType
from convergence.resources.cinder.volume import Volume
from convergence.resources.cinder.volume_attachment import VolumeAttachment
from convergence.resources.cinder.volume_type import VolumeType
from convergence.resources.delay import Delay
from convergence.resources.glance.web_image import WebImage
from convergence.resources.instance_group import InstanceGroup

from convergence.resources import heat_only_types
from convergence.resources.keystone import constraints as \
    keystone_constraints
from convergence.resources.keystone.domain import Domain
from convergence.resources.keystone.endpoint import Endpoint
from convergence.resources.keystone.group import Group
from convergence.resources.keystone.project import Project
from convergence.resources.keystone.region import Region
from convergence.resources.keystone.role import Role
from convergence.resources.keystone.role_assignments import \
    GroupRoleAssignment, UserRoleAssignment
from convergence.resources.keystone.service import Service
from convergence.resources.keystone.user import User
from convergence.resources.launch_config import LaunchConfiguration
from convergence.resources.multipart_mime import MultipartMime
from convergence.resources.neutron import constraints as neutron_constraints
from convergence.resources.neutron.extra_route_set import ExtraRouteSet
from convergence.resources.neutron.net import Net
from convergence.resources.neutron.floating_ip import FloatingIP
from convergence.resources.neutron.floating_ip_association import \
    FloatingIPAssociation
from convergence.resources.neutron.port import Port
from convergence.resources.neutron.router import Router, RouterInterface
from convergence.resources.neutron.security_group import SecurityGroup, \
    SecurityGroupRule
from convergence.resources.neutron.subnet import Subnet
from convergence.resources.none_resource import NoneResource
from convergence.resources.nova.flavor import Flavor
from convergence.resources.nova.host_aggregate import HostAggregate
from convergence.resources.nova.keypair import KeyPair
from convergence.resources.nova.server import Server
from convergence.resources.nova.server_group import ServerGroup
from convergence.resources import template_resource
from convergence.resources.random_string import RandomString
from convergence.resources.remote_stack import RemoteStack
from convergence.resources.resource_chain import ResourceChain
from convergence.resources.resource_group import ResourceGroup
from convergence.resources.scaling_policy import ScalingPolicy
from convergence.resources import software_config
from convergence.resources import software_deployment
from convergence.resources.test_resource import TestResource
from convergence.resources.value import Value
from convergence.resources import wait_condition

_REGISTRY: dict[str, type[Resource]] = {}
# Counts the changes to the registry: what was valid may not be any more.
_generation = 0


def register(type_name: str, cls: type[Resource]) -> None:
    """Make ``cls`` the implementation of ``type_name`` (replacing any)."""
    global _generation
    _REGISTRY[type_name] = cls
    _generation += 1


def unregister(type_name: str) -> None:
    """Forget ``type_name`` (tests that register a type of their own)."""
    global _generation
    _REGISTRY.pop(type_name, None)
    _generation += 1


def generation() -> int:
    """How many times the registry has changed (register, unregister)."""
    return _generation


def get_class(type_name: str, files: dict | None = None
              ) -> type[Resource]:
    """The plugin class for a type name.

    A type that names a template is a provider template from ``files``
    (``template_resource``).

    Raises:
        ResourceTypeNotFound: no such type is registered (or in ``files``);
            ResourceTypeNotImplemented for one Heat has and we do not
            build (``heat_only_types``).
    """
    if template_resource.is_template_type(type_name):
        return template_resource.class_for(type_name, files)
    try:
        return _REGISTRY[type_name]
    except (KeyError, TypeError):
        if heat_only_types.of(type_name) is not None:
            raise ResourceTypeNotImplemented(type_name=type_name) from None
        raise ResourceTypeNotFound(type_name=type_name) from None


def is_nested(type_name: str) -> bool:
    """Whether rows of this type are nested stacks (a provider template or
    a nested stack type), whatever their template's files hold."""
    if template_resource.is_template_type(type_name):
        return True
    cls = _REGISTRY.get(type_name)
    return cls is not None and getattr(cls, 'nested', False)


def type_names() -> list[str]:
    """Every registered type name, sorted."""
    return sorted(_REGISTRY)


register('OS::Heat::None', NoneResource)
register('OS::Heat::TestResource', TestResource)
register('OS::Heat::Value', Value)
register('OS::Heat::RandomString', RandomString)
register('OS::Heat::ResourceGroup', ResourceGroup)
register('OS::Heat::ResourceChain', ResourceChain)
register('OS::Heat::AutoScalingGroup', AutoScalingGroup)
register('OS::Heat::ScalingPolicy', ScalingPolicy)
register('OS::Heat::InstanceGroup', InstanceGroup)
register('AWS::AutoScaling::LaunchConfiguration', LaunchConfiguration)
register('AWS::AutoScaling::AutoScalingGroup', AWSAutoScalingGroup)
register('AWS::AutoScaling::ScalingPolicy', AWSScalingPolicy)
register('OS::Heat::SoftwareConfig', software_config.SoftwareConfig)
register('OS::Heat::StructuredConfig', software_config.StructuredConfig)
register('OS::Heat::CloudConfig', software_config.CloudConfig)
register('OS::Heat::SoftwareComponent', software_config.SoftwareComponent)
register('OS::Heat::MultipartMime', MultipartMime)
register('OS::Heat::SoftwareDeployment',
         software_deployment.SoftwareDeployment)
register('OS::Heat::StructuredDeployment',
         software_deployment.StructuredDeployment)
register('OS::Heat::DeployedServer', DeployedServer)
register('OS::Heat::SoftwareDeploymentGroup',
         deployment_group.SoftwareDeploymentGroup)
register('OS::Heat::StructuredDeploymentGroup',
         deployment_group.StructuredDeploymentGroup)
# Heat 27's deprecated (hidden) names of the groups.
register('OS::Heat::SoftwareDeployments',
         deployment_group.SoftwareDeploymentGroup)
register('OS::Heat::StructuredDeployments',
         deployment_group.StructuredDeploymentGroup)
register('OS::Neutron::Net', Net)
register('OS::Neutron::Subnet', Subnet)
register('OS::Neutron::Port', Port)
register('OS::Neutron::FloatingIP', FloatingIP)
register('OS::Neutron::FloatingIPAssociation', FloatingIPAssociation)
register('OS::Neutron::Router', Router)
register('OS::Neutron::RouterInterface', RouterInterface)
register('OS::Neutron::ExtraRouteSet', ExtraRouteSet)
register('OS::Neutron::SecurityGroup', SecurityGroup)
register('OS::Neutron::SecurityGroupRule', SecurityGroupRule)
neutron_constraints.register()
register('OS::Nova::Server', Server)
register('AWS::EC2::Instance', Instance)
register('AWS::CloudFormation::WaitConditionHandle',
         cfn_wait_condition.WaitConditionHandle)
register('AWS::CloudFormation::WaitCondition',
         cfn_wait_condition.CfnWaitCondition)
register('OS::Nova::KeyPair', KeyPair)
register('OS::Nova::Flavor', Flavor)
register('OS::Nova::ServerGroup', ServerGroup)
register('OS::Nova::HostAggregate', HostAggregate)
register('OS::Cinder::Volume', Volume)
register('OS::Cinder::VolumeAttachment', VolumeAttachment)
register('OS::Cinder::VolumeType', VolumeType)
register('OS::Cinder::EncryptedVolumeType', EncryptedVolumeType)
register('OS::Glance::WebImage', WebImage)
cloud_lookup.register()
register('OS::Keystone::Domain', Domain)
register('OS::Keystone::Project', Project)
register('OS::Keystone::User', User)
register('OS::Keystone::Role', Role)
register('OS::Keystone::Group', Group)
register('OS::Keystone::UserRoleAssignment', UserRoleAssignment)
register('OS::Keystone::GroupRoleAssignment', GroupRoleAssignment)
register('OS::Keystone::Service', Service)
register('OS::Keystone::Endpoint', Endpoint)
register('OS::Keystone::Region', Region)
keystone_constraints.register()
register('OS::Heat::Delay', Delay)
register('OS::Heat::Stack', RemoteStack)
register('OS::Heat::WaitConditionHandle', wait_condition.WaitConditionHandle)
register('OS::Heat::UpdateWaitConditionHandle',
         wait_condition.UpdateWaitConditionHandle)
register('OS::Heat::WaitCondition', wait_condition.WaitCondition)
