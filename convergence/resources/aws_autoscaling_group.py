"""AWS::AutoScaling::AutoScalingGroup: an InstanceGroup resized by policies.

Its members are an InstanceGroup's (``instance_group``), made from its
``LaunchConfigurationName`` or, in its place, from the existing server
``InstanceId`` names (its image, flavor, key pair and security groups);
``VPCZoneIdentifier`` (one subnet) becomes each member's ``SubnetId``.
Its size: ``DesiredCapacity`` (else ``MinSize``) when created; on an
update ``DesiredCapacity`` again, or the current size when it is unset,
within ``MinSize`` and ``MaxSize``; an AWS::AutoScaling::ScalingPolicy's
signal adjusts it within the same bounds (``nested/adjust``), outside its
``Cooldown``.  The rolling update is ``AutoScalingRollingUpdate``, with
an InstanceGroup's arithmetic.
"""

import time

from convergence import exceptions
from convergence.resources import constraints as constr
from convergence.resources import instance_group as ig
from convergence.resources import launch_config
from convergence.resources import scaled_group
from convergence.resources import scaling
from convergence.resources.properties import INTEGER, LIST, MAP, STRING, \
    Schema
from convergence.template.unresolved import contains_unresolved

PROPERTIES = (AVAILABILITY_ZONES, LAUNCH_CONFIGURATION_NAME, MAX_SIZE,
              MIN_SIZE, COOLDOWN, DESIRED_CAPACITY,
              HEALTH_CHECK_GRACE_PERIOD, HEALTH_CHECK_TYPE,
              LOAD_BALANCER_NAMES, VPCZONE_IDENTIFIER, TAGS, INSTANCE_ID) = (
    'AvailabilityZones', 'LaunchConfigurationName', 'MaxSize', 'MinSize',
    'Cooldown', 'DesiredCapacity', 'HealthCheckGracePeriod',
    'HealthCheckType', 'LoadBalancerNames', 'VPCZoneIdentifier', 'Tags',
    'InstanceId')
ROLLING_UPDATE = 'AutoScalingRollingUpdate'
SUBNET_ID = 'SubnetId'


class AWSAutoScalingGroup(scaled_group.Adjustable, ig.InstanceGroup):
    """An AWS-compatible group of instances, resized by scaling policies."""

    properties_schema = {
        AVAILABILITY_ZONES: Schema(LIST, 'Not Implemented.', required=True),
        LAUNCH_CONFIGURATION_NAME: Schema(
            STRING, 'The reference to a LaunchConfiguration resource.',
            update_allowed=True),
        INSTANCE_ID: Schema(
            STRING, 'The ID of an existing instance to use to create the '
                    'Auto Scaling group. If specify this property, will '
                    'create the group use an existing instance instead of '
                    'a launch configuration.',
            constraints=[constr.CustomConstraint('nova.server')]),
        MAX_SIZE: Schema(INTEGER, 'Maximum number of instances in the '
                                  'group.', required=True,
                         update_allowed=True),
        MIN_SIZE: Schema(INTEGER, 'Minimum number of instances in the '
                                  'group.', required=True,
                         update_allowed=True),
        COOLDOWN: Schema(INTEGER, 'Cooldown period, in seconds.',
                         update_allowed=True),
        DESIRED_CAPACITY: Schema(INTEGER, 'Desired initial number of '
                                          'instances.', update_allowed=True),
        HEALTH_CHECK_GRACE_PERIOD: Schema(INTEGER, 'Not Implemented.',
                                          implemented=False),
        HEALTH_CHECK_TYPE: Schema(
            STRING, 'Not Implemented.', implemented=False,
            constraints=[constr.AllowedValues(['EC2', 'ELB'])]),
        LOAD_BALANCER_NAMES: Schema(LIST, 'List of LoadBalancer resources.'),
        VPCZONE_IDENTIFIER: Schema(
            LIST, 'Use only with Neutron, to list the internal subnet to '
                  'which the instance will be attached; needed only if '
                  'multiple exist; list length must be exactly 1.',
            schema=Schema(STRING, 'UUID of the internal subnet to which the '
                                  'instance will be attached.')),
        TAGS: Schema(LIST, 'Tags to attach to this group.',
                     schema=Schema(MAP, schema={
                         ig.TAG_KEY: Schema(STRING, required=True),
                         ig.TAG_VALUE: Schema(STRING, required=True)})),
    }
    support_version = '2014.1'
    rolling_update_key = ROLLING_UPDATE
    update_policy_schema = {
        ROLLING_UPDATE: Schema(MAP, schema=ig.ROLLING_UPDATE_SCHEMA)}

    @classmethod
    def type_label(cls) -> str:
        return 'AWS::AutoScaling::AutoScalingGroup'

    @classmethod
    def check_properties(cls, resource_name: str, props: dict) -> None:
        """Heat's checks of the sizes, the subnet and the source of the
        members (its messages)."""
        super().check_properties(resource_name, props)
        sizes = [props[MIN_SIZE], props[MAX_SIZE], props[DESIRED_CAPACITY]]
        if not contains_unresolved(sizes):
            low, high, desired = sizes
            if high < low:
                raise exceptions.StackValidationFailed(
                    'MinSize can not be greater than MaxSize')
            if low < 0:
                raise exceptions.StackValidationFailed(
                    'The size of AutoScalingGroup can not be less than zero')
            if desired is not None and not low <= desired <= high:
                raise exceptions.StackValidationFailed(
                    'DesiredCapacity must be between MinSize and MaxSize')
        zones = props[VPCZONE_IDENTIFIER]
        if zones and not contains_unresolved(zones) and len(zones) != 1:
            raise exceptions.NotSupported(
                feature='Anything other than one VPCZoneIdentifier')
        source = [props[INSTANCE_ID], props[LAUNCH_CONFIGURATION_NAME]]
        if not contains_unresolved(source) and (
                bool(source[0]) == bool(source[1])):
            raise exceptions.StackValidationFailed(
                "Either 'InstanceId' or 'LaunchConfigurationName' must be "
                "provided.")

    # --- sizes ---

    def initial_size(self) -> int:
        return self.properties[DESIRED_CAPACITY] or self.properties[MIN_SIZE]

    def desired_size(self, current: int) -> int:
        return self.bounded(self.properties[DESIRED_CAPACITY] or current)

    def replacement_size(self) -> int | None:
        return self.properties[DESIRED_CAPACITY]

    def size_bounds(self) -> tuple[int, int]:
        return self.properties[MIN_SIZE], self.properties[MAX_SIZE]

    def default_cooldown(self):
        return self.properties[COOLDOWN]

    def creating(self) -> None:
        # As Heat, the cooldown runs from the group's creation.
        self.data_set(scaling.COOLDOWN_END, scaling.cooldown_end(
            time.time(), self.properties[COOLDOWN]))

    # --- the members ---

    def _launch_config(self) -> dict:
        """The launch configuration, or one made of the server InstanceId
        names (Heat's _make_launch_config_resource)."""
        instance_id = self.properties[INSTANCE_ID]
        if not instance_id:
            return super()._launch_config()
        found = launch_config.server_properties(self.cloud(), instance_id)
        return {'name': self.name, 'type': 'AWS::AutoScaling::'
                'LaunchConfiguration', 'properties': found, 'metadata': {}}

    def extra_member_properties(self) -> dict:
        zones = self.properties[VPCZONE_IDENTIFIER]
        return {SUBNET_ID: zones[0]} if zones else {}

    def member_tags(self) -> list[dict]:
        """An InstanceGroup's tags and the group's own, so that the
        members' metrics name their group."""
        return super().member_tags() + [{
            ig.TAG_KEY: 'metering.AutoScalingGroupName',
            ig.TAG_VALUE: self.get_reference_id()}]
