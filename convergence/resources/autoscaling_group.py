"""OS::Heat::AutoScalingGroup: a group of ``resource`` members, resized.

Its members and their order are the scaling groups' (``scaled_group``).
Its size: ``desired_capacity`` (else ``min_size``) when created; on an
update ``desired_capacity`` again, or the current size when it is unset,
kept within ``min_size`` and ``max_size``; an adjustment (a scaling
policy's signal) changes it within the same bounds.  An update that changes
``resource`` replaces the members in batches (``rolling_updates``), the
group's batches running one child operation each
(``convergence/nested/batches``); any other update is one batch.
"""

import itertools
import time

from convergence import exceptions
from convergence.resources import base
from convergence.resources import constraints as constr
from convergence.resources import group_batches
from convergence.resources import group_template as group
from convergence.resources import scaled_group
from convergence.resources import scaling
from convergence.resources.properties import INTEGER, MAP, NUMBER, Schema
from convergence.template.reference_functions import ALL_ATTRIBUTES
from convergence.template.unresolved import contains_unresolved

PROPERTIES = (RESOURCE, MAX_SIZE, MIN_SIZE, COOLDOWN, DESIRED_CAPACITY,
              ROLLING_UPDATES) = (
    'resource', 'max_size', 'min_size', 'cooldown', 'desired_capacity',
    'rolling_updates')
MIN_IN_SERVICE, MAX_BATCH_SIZE, PAUSE_TIME = (
    'min_in_service', 'max_batch_size', 'pause_time')
ATTRIBUTES = (OUTPUTS, OUTPUTS_LIST, CURRENT_SIZE, REFS, REFS_MAP) = (
    'outputs', 'outputs_list', 'current_size', group.REFS, group.REFS_MAP)

MEMBERS_KEY = scaled_group.MEMBERS_KEY
# The child's output holding every attribute of every member.
ALL_MEMBER_ATTRIBUTES = group.ATTRIBUTES

_ROLLING_UPDATES_SCHEMA = {
    MIN_IN_SERVICE: Schema(INTEGER, 'The minimum number of resources in '
                                    'service while rolling updates are '
                                    'being executed.', default=0,
                           constraints=[constr.Range(min=0)]),
    MAX_BATCH_SIZE: Schema(INTEGER, 'The maximum number of resources to '
                                    'replace at once.', default=1,
                           constraints=[constr.Range(min=1)]),
    PAUSE_TIME: Schema(NUMBER, 'The number of seconds to wait between '
                               'batches of updates.', default=0,
                       constraints=[constr.Range(min=0)]),
}


class AutoScalingGroup(scaled_group.Adjustable, scaled_group.ScaledGroup):
    """An autoscaling group that can scale arbitrary resources."""

    properties_schema = {
        RESOURCE: Schema(MAP, 'Resource definition for the resources in the '
                              'group, in HOT format.', required=True,
                         update_allowed=True),
        MAX_SIZE: Schema(INTEGER, 'Maximum number of resources in the '
                                  'group.', required=True,
                         update_allowed=True,
                         constraints=[constr.Range(min=0)]),
        MIN_SIZE: Schema(INTEGER, 'Minimum number of resources in the '
                                  'group.', required=True,
                         update_allowed=True,
                         constraints=[constr.Range(min=0)]),
        COOLDOWN: Schema(INTEGER, 'Cooldown period, in seconds.',
                         update_allowed=True),
        DESIRED_CAPACITY: Schema(INTEGER, 'Desired initial number of '
                                          'resources.', update_allowed=True),
        ROLLING_UPDATES: Schema(
            MAP, 'Policy for rolling updates for this scaling group.',
            update_allowed=True, schema=_ROLLING_UPDATES_SCHEMA,
            default={MIN_IN_SERVICE: 0, MAX_BATCH_SIZE: 1, PAUSE_TIME: 0}),
    }
    attributes_schema = {
        OUTPUTS: 'A map of resource names to the specified attribute of '
                 'each individual resource that is part of the '
                 'AutoScalingGroup.',
        OUTPUTS_LIST: 'A list of the specified attribute of each individual '
                      'resource that is part of the AutoScalingGroup.',
        CURRENT_SIZE: 'The current size of AutoscalingResourceGroup.',
        REFS: 'A list of resource IDs for the resources in the group.',
        REFS_MAP: 'A map of resource names to IDs for the resources in the '
                  'group.',
    }
    attribute_types = {OUTPUTS: 'map', OUTPUTS_LIST: 'list',
                       CURRENT_SIZE: 'integer', REFS: 'list', REFS_MAP: 'map'}
    support_version = '2014.1'

    @classmethod
    def check_properties(cls, resource_name: str, props: dict) -> None:
        """The sizes must fit together (Heat's messages)."""
        sizes = [props[MIN_SIZE], props[MAX_SIZE], props[DESIRED_CAPACITY]]
        if contains_unresolved(sizes):
            return
        low, high, desired = sizes
        if low > high:
            raise exceptions.StackValidationFailed(
                'MinSize can not be greater than MaxSize')
        if desired is not None and not low <= desired <= high:
            raise exceptions.StackValidationFailed(
                'DesiredCapacity must be between MinSize and MaxSize')

    @classmethod
    def child_template_for_validation(cls, properties: dict, files: dict,
                                      environment: dict) -> dict | None:
        """One member, when the group would have any, as Heat validates a
        group; None while a property is unresolved."""
        if contains_unresolved(properties):
            return None
        size = _initial_size(properties)
        members = [(name, properties[RESOURCE]) for name in
                   itertools.islice(scaled_group.new_names('validation', set()),
                                    min(size, 1))]
        return group.template(members, {})

    # --- the members ---

    def member_definition(self) -> dict:
        return self.properties[RESOURCE]

    def initial_size(self) -> int:
        return _initial_size(self.properties)

    def creating(self) -> None:
        # As Heat, the group's cooldown runs from its creation (Heat
        # counts from the end of the create, we from its start).
        self.data_set(scaling.COOLDOWN_END, scaling.cooldown_end(
            time.time(), self.properties[COOLDOWN]))

    def desired_size(self, current: int) -> int:
        """``desired_capacity`` or ``current``, in bounds."""
        return self.bounded(self.properties[DESIRED_CAPACITY] or current)

    def size_bounds(self) -> tuple[int, int]:
        return self.properties[MIN_SIZE], self.properties[MAX_SIZE]

    def default_cooldown(self):
        return self.properties[COOLDOWN]

    def member_outputs(self, names: list[str]) -> dict:
        """The child's outputs for what the parent reads: the members'
        reference ids always, every attribute of every member when
        ``outputs`` or ``outputs_list`` is read, and ``resource.N[.a]`` of
        the Nth member."""
        wanted = set(self.context.referenced_attributes)
        found = {REFS_MAP: {n: {'get_resource': n} for n in names}}
        if wanted & {OUTPUTS, OUTPUTS_LIST, ALL_ATTRIBUTES}:
            found[ALL_MEMBER_ATTRIBUTES] = {n: {'get_attr': [n]}
                                            for n in names}
        for key in wanted:
            target = group.member_ref(key)
            if target is None or not target[1]:
                continue
            index, attr = target
            if index.isdigit() and int(index) < len(names):
                found[key] = {'get_attr': [names[int(index)], attr]}
        return found

    # --- batches ---

    def batch_policy(self, action: str, update_policy: dict,
                     old_properties: dict) -> group_batches.Policy | None:
        """An update goes in batches: rolling ones when it changes
        ``resource``, else one batch that resizes the group."""
        if action == base.CREATE:
            return None
        if (old_properties or {}).get(RESOURCE) != self.properties[RESOURCE]:
            rolling = self.properties[ROLLING_UPDATES]
            return group_batches.Policy(rolling[MAX_BATCH_SIZE],
                                        rolling[MIN_IN_SERVICE],
                                        rolling[PAUSE_TIME])
        return group_batches.Policy(scaled_group.ONE_BATCH, 0, 0,
                                    resize_only=True)

    def batches(self, policy: group_batches.Policy,
                members: list[group_batches.Member]) -> list[tuple[int, int]]:
        """A resize in one batch; a rolling update as Heat's (this group
        is an InstanceGroup there): ``instance_group_batches``."""
        final = self.target_size(len(members))
        if policy.resize_only:
            return group_batches.batches(final, len(members),
                                         policy.max_batch_size, 0)
        return group_batches.instance_group_batches(
            self.properties[DESIRED_CAPACITY], len(members), final,
            policy.max_batch_size, policy.min_in_service)

    # --- attributes ---

    def _resolve_attribute(self, name: str) -> object:
        outputs = self.outputs
        refs = outputs.get(REFS_MAP) or {}
        names = [n for n in self.data_get(MEMBERS_KEY) or [] if n in refs]
        if name == CURRENT_SIZE:
            return len(refs)
        if name == REFS_MAP:
            return dict(refs)
        if name == REFS:
            return [refs[n] for n in names]
        if name in (OUTPUTS, OUTPUTS_LIST):
            by_attr = group.transposed(outputs.get(ALL_MEMBER_ATTRIBUTES) or {})
            if name == OUTPUTS:
                return by_attr
            return {attr: [values[n] for n in names if n in values]
                    for attr, values in by_attr.items()}
        target = group.member_ref(name)
        if target is not None:
            index, attr = target
            if not index.isdigit() or int(index) >= len(names):
                raise exceptions.NotFound(
                    message="Member '%s' not found in group resource '%s'."
                            % (index, self.name))
            return refs[names[int(index)]] if not attr else outputs.get(name)
        return None


def _initial_size(properties: dict) -> int:
    return properties[DESIRED_CAPACITY] or properties[MIN_SIZE]
