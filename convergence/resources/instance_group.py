"""OS::Heat::InstanceGroup: ``Size`` instances of a launch configuration.

Each member is an ``AWS::EC2::Instance`` (declared as Heat's
``OS::Heat::ScaledResource``, which the child's registry maps to it, so
that the environment's mapping of AWS::EC2::Instance, a provider template
say, makes the members) whose properties are those the launch
configuration named by ``LaunchConfigurationName`` stored, with the
group's ``Tags`` and a ``metering.groupname`` tag, and whose metadata is
the configuration's.  The group reads its configuration from the stack
(``context.resource_by_refid``) each time it builds members.

An update resizes the group to ``Size``: members keep their definition,
new ones get the configuration's.  When ``LaunchConfigurationName``
changes and the update policy has a ``RollingUpdate``, the members are
first replaced in batches (``group_batches.instance_group_batches``:
Heat's arithmetic, which differs from the other groups').  A change to
``AvailabilityZones`` (or any property that does not change in place)
replaces the group, as in Heat.  ``LoadBalancerNames`` is refused: there
is no load balancer type here to reconfigure.
"""

from convergence import exceptions
from convergence.resources import base
from convergence.resources import cloud_resource
from convergence.resources import group_batches
from convergence.resources import launch_config
from convergence.resources import scaled_group
from convergence.resources.failures import resource_failure
from convergence.resources.properties import INTEGER, LIST, MAP, STRING, \
    Schema

PROPERTIES = (AVAILABILITY_ZONES, LAUNCH_CONFIGURATION_NAME, SIZE,
              LOAD_BALANCER_NAMES, TAGS) = (
    'AvailabilityZones', 'LaunchConfigurationName', 'Size',
    'LoadBalancerNames', 'Tags')
TAG_KEY, TAG_VALUE = 'Key', 'Value'
ROLLING_UPDATE = 'RollingUpdate'
MIN_INSTANCES_IN_SERVICE, MAX_BATCH_SIZE, PAUSE_TIME = (
    'MinInstancesInService', 'MaxBatchSize', 'PauseTime')
INSTANCE_LIST = 'InstanceList'
# The child's outputs: each member's PublicIp, each member's reference.
REFERENCES = 'references'
# The type a member is declared as; the child's registry maps it.
SCALED_RESOURCE_TYPE = 'OS::Heat::ScaledResource'
INSTANCE_TYPE = 'AWS::EC2::Instance'
# What InstanceList says of a member without an address (Heat's).
NO_ADDRESS = '0.0.0.0'

TAGS_SCHEMA = Schema(LIST, 'Tags to attach to this group.', schema=Schema(
    MAP, schema={TAG_KEY: Schema(STRING, 'Tag key.', required=True),
                 TAG_VALUE: Schema(STRING, 'Tag value.', required=True)}))
ROLLING_UPDATE_SCHEMA = {
    MIN_INSTANCES_IN_SERVICE: Schema(INTEGER, default=0),
    MAX_BATCH_SIZE: Schema(INTEGER, default=1),
    PAUSE_TIME: Schema(STRING, default='PT0S'),
}


class InstanceGroup(scaled_group.ScaledGroup):
    """A group of instances of one launch configuration."""

    properties_schema = {
        AVAILABILITY_ZONES: Schema(LIST, 'Not Implemented.', required=True),
        LAUNCH_CONFIGURATION_NAME: Schema(
            STRING, 'The reference to a LaunchConfiguration resource.',
            required=True, update_allowed=True),
        SIZE: Schema(INTEGER, 'Desired number of instances.', required=True,
                     update_allowed=True),
        LOAD_BALANCER_NAMES: Schema(
            LIST, 'List of LoadBalancer resources. Currently only the '
                  'AWS::ElasticLoadBalancing::LoadBalancer resource type is '
                  'supported.'),
        TAGS: TAGS_SCHEMA,
    }
    attributes_schema = {
        INSTANCE_LIST: 'A comma-delimited list of server ip addresses. '
                       '(Heat extension).',
    }
    attribute_types = {INSTANCE_LIST: 'string'}
    # The update policy key of the rolling update.
    rolling_update_key = ROLLING_UPDATE
    update_policy_schema = {
        ROLLING_UPDATE: Schema(MAP, schema=ROLLING_UPDATE_SCHEMA)}

    @classmethod
    def check_properties(cls, resource_name: str, props: dict) -> None:
        """Refuse what is not carried out here, by name."""
        cloud_resource.refuse_not_implemented(
            props, [LOAD_BALANCER_NAMES], cls.type_label())

    @classmethod
    def type_label(cls) -> str:
        return 'OS::Heat::InstanceGroup'

    @classmethod
    def check_update_policy(cls, values: dict) -> None:
        """Heat's checks of the rolling update: an ISO 8601 pause of at
        most an hour.

        Raises:
            StackValidationFailed: with Heat's message.
        """
        policy = values.get(cls.rolling_update_key)
        if not policy:
            return
        try:
            pause = group_batches.pause_seconds(policy[PAUSE_TIME])
        except ValueError as exc:
            raise exceptions.StackValidationFailed(str(exc))
        if pause > group_batches.MAX_PAUSE:
            raise exceptions.StackValidationFailed(
                'Maximum %s is 1 hour.' % PAUSE_TIME)

    # --- an update replaces the group when a fixed property changes ---

    def plan_update(self, new_properties: dict, *,
                    failed: bool = False) -> base.UpdatePlan:
        """As Heat: a change to a property that does not change in place
        (AvailabilityZones...) replaces the group; any other update is the
        child's."""
        diff = base.diff_properties(self.properties, new_properties)
        if self.resource_id is not None and diff and not (
                set(diff) <= self._update_allowed()):
            self._refuse_immutable_changes(set(diff))
            return self._replace(diff, self.name)
        return super().plan_update(new_properties, failed=failed)

    # --- the members ---

    def initial_size(self) -> int:
        return self.properties[SIZE]

    def desired_size(self, current: int) -> int:
        return self.properties[SIZE]

    def replacement_size(self) -> int | None:
        """The size a rolling update aims at (Heat's ``get_size``)."""
        return self.properties[SIZE]

    def member_definition(self) -> dict:
        """A ScaledResource with the launch configuration's properties and
        metadata, and the group's tags.

        Raises:
            ResourceFailure: no launch configuration has that reference
                (Heat's message).
        """
        conf = self._launch_config()
        props = {k: v for k, v in conf['properties'].items()
                 if v is not None}
        instance_id = props.pop(launch_config.INSTANCE_ID, None)
        if instance_id:
            found = launch_config.server_properties(self.cloud(), instance_id)
            props = dict({k: v for k, v in found.items() if v is not None},
                         **props)
        props.update(self.extra_member_properties())
        props[TAGS] = self.member_tags()
        snippet = {'type': SCALED_RESOURCE_TYPE, 'properties': props}
        if conf['metadata']:
            snippet['metadata'] = conf['metadata']
        return snippet

    def extra_member_properties(self) -> dict:
        """Properties of a member that the group adds."""
        return {}

    def member_tags(self) -> list[dict]:
        """The group's tags and one Ceilometer can pick up (``metering.``),
        unless the user gave one."""
        tags = list(self.properties[TAGS] or [])
        if any(t[TAG_KEY].startswith('metering.') for t in tags):
            return tags
        return tags + [{TAG_KEY: 'metering.groupname',
                        TAG_VALUE: self.get_reference_id()}]

    def _launch_config(self) -> dict:
        ref = self.properties[LAUNCH_CONFIGURATION_NAME]
        lookup = self.context.resource_by_refid
        conf = lookup(ref) if lookup is not None else None
        if conf is None:
            raise resource_failure(
                self.name, 'ValueError',
                '%s (%s) reference can not be found.'
                % (LAUNCH_CONFIGURATION_NAME, ref))
        return conf

    def child_environment(self) -> dict:
        """The parent's, with the members' type mapped to an instance."""
        env = super().child_environment()
        env.setdefault('resource_registry', {})[SCALED_RESOURCE_TYPE] = (
            INSTANCE_TYPE)
        return env

    def member_outputs(self, names: list[str]) -> dict:
        found = {REFERENCES: {n: {'get_resource': n} for n in names}}
        if INSTANCE_LIST in self.context.referenced_attributes or (
                '*' in self.context.referenced_attributes):
            found[INSTANCE_LIST] = {n: {'get_attr': [n, 'PublicIp']}
                                    for n in names}
        return found

    # --- batches ---

    def batch_policy(self, action: str, update_policy: dict,
                     old_properties: dict) -> group_batches.Policy | None:
        """An update is a resize, after a rolling update of the members
        when ``LaunchConfigurationName`` changed and the policy asks."""
        if action == base.CREATE:
            return None
        rolling = update_policy.get(self.rolling_update_key)
        if rolling and (old_properties or {}).get(
                LAUNCH_CONFIGURATION_NAME) != self.properties[
                    LAUNCH_CONFIGURATION_NAME]:
            return group_batches.Policy(
                rolling[MAX_BATCH_SIZE], rolling[MIN_INSTANCES_IN_SERVICE],
                group_batches.pause_seconds(rolling[PAUSE_TIME]))
        return group_batches.Policy(scaled_group.ONE_BATCH, 0, 0,
                                    resize_only=True)

    def batches(self, policy: group_batches.Policy,
                members: list[group_batches.Member]) -> list[tuple[int, int]]:
        final = self.target_size(len(members))
        if policy.resize_only:
            return [(final, 0)]
        return group_batches.instance_group_batches(
            self.replacement_size(), len(members), final,
            policy.max_batch_size, policy.min_in_service)

    # --- attributes ---

    def _resolve_attribute(self, name: str) -> object:
        if name != INSTANCE_LIST:
            return None
        addresses = self.outputs.get(INSTANCE_LIST) or {}
        listed = [str(addresses[n] or NO_ADDRESS)
                  for n in self.member_names() if n in addresses]
        return ','.join(listed) or None
