"""OS::Heat::ScalingPolicy: a signal resizes an AutoScalingGroup.

Each signal (``resource_signal``, an alarm's notification) asks the group
whose reference id ``auto_scaling_group_id`` gives to change by
``scaling_adjustment`` of ``adjustment_type``, as heat-engine does: an
alarm notification whose state is not ``alarm`` asks nothing, nor does a
signal during the policy's cooldown; the group then applies its own rules
(``context.group_scaler``, convergence/nested/adjust.py).  A signal that asks nothing is dropped
without an event (NoActionRequired), as in Heat.

``alarm_url`` is a URL signed for heat-api-cfn, and ``signal_url`` one for
heat-api with a Keystone trust: this engine serves neither, so a template
that reads them is refused with that reason (NotSupported) rather than
given a URL nothing answers.
"""

import time

from convergence import exceptions
from convergence.resources import base
from convergence.resources import constraints as constr
from convergence.resources import scaling
from convergence.resources.properties import INTEGER, NUMBER, STRING, Schema
from convergence.template.unresolved import contains_unresolved

PROPERTIES = (AUTO_SCALING_GROUP_ID, SCALING_ADJUSTMENT, ADJUSTMENT_TYPE,
              COOLDOWN, MIN_ADJUSTMENT_STEP) = (
    'auto_scaling_group_id', 'scaling_adjustment', 'adjustment_type',
    'cooldown', 'min_adjustment_step')
ATTRIBUTES = (ALARM_URL, SIGNAL_URL) = ('alarm_url', 'signal_url')


class ScalingPolicy(base.Resource):
    """Resource to manage scaling for OS::Heat::AutoScalingGroup."""

    properties_schema = {
        AUTO_SCALING_GROUP_ID: Schema(STRING, 'AutoScaling group ID to apply '
                                              'policy to.', required=True),
        SCALING_ADJUSTMENT: Schema(NUMBER, 'Size of adjustment.',
                                   required=True, update_allowed=True),
        ADJUSTMENT_TYPE: Schema(
            STRING, 'Type of adjustment (absolute or percentage).',
            required=True, update_allowed=True,
            constraints=[constr.AllowedValues(
                list(scaling.ADJUSTMENT_TYPES))]),
        COOLDOWN: Schema(NUMBER, 'Cooldown period, in seconds.',
                         update_allowed=True),
        MIN_ADJUSTMENT_STEP: Schema(
            INTEGER, 'Minimum number of resources that are added or removed '
                     'when the AutoScaling group scales up or down; only '
                     'with percent_change_in_capacity.', update_allowed=True,
            constraints=[constr.Range(min=0)]),
    }
    attributes_schema = {
        ALARM_URL: 'A signed url to handle the alarm.',
        SIGNAL_URL: 'A url to handle the alarm using native API.',
    }
    attribute_types = {ALARM_URL: 'string', SIGNAL_URL: 'string'}
    support_version = '2014.1'
    # The property names (AWS::AutoScaling::ScalingPolicy has its own) and
    # the adjustment type min_adjustment_step goes with.
    names = dict(zip(('group', 'adjustment', 'type', 'cooldown', 'step'),
                     PROPERTIES))
    percent_type = scaling.PERCENT_CHANGE_IN_CAPACITY

    @classmethod
    def check_properties(cls, resource_name: str, props: dict) -> None:
        """min_adjustment_step goes with a percent change only (Heat's
        ResourcePropertyValueDependency)."""
        names = cls.names
        pair = [props[names['type']], props[names['step']]]
        if contains_unresolved(pair):
            return
        if pair[0] != cls.percent_type and pair[1] is not None:
            raise exceptions.StackValidationFailed(
                '%s property should only be specified for %s with value %s.'
                % (names['step'], names['type'], cls.percent_type))

    def handle_create(self) -> None:
        self.resource_id_set(self.physical_resource_name())

    def handle_update(self, new_properties: dict, prop_diff: dict) -> None:
        """Nothing to do: the next signal reads the new properties."""
        return None

    def handle_signal(self, details=None) -> None:
        """Resize the group, unless the signal asks nothing now.

        Raises:
            NoActionRequired: not an alarm, or the cooldown runs.
            NotFound: the stack has no group of that reference id.
        """
        if _alarm_state(details) != 'alarm':
            raise exceptions.NoActionRequired(
                res_name=self.name, reason='the alarm is not in alarm state')
        now = time.time()
        value = {key: self.properties[name]
                 for key, name in self.names.items()}
        if scaling.in_cooldown(self.context.data, now):
            raise exceptions.NoActionRequired(
                res_name=self.name,
                reason='due to cooldown, cooldown %s'
                       % (value['cooldown'] or 0))
        if self.context.group_scaler is None:
            raise exceptions.NotSupported(
                feature='Scaling outside a signal')
        self.context.group_scaler.adjust(
            self.name, value['group'], value['adjustment'], value['type'],
            value['step'], value['cooldown'])
        self.data_set(scaling.COOLDOWN_END, scaling.cooldown_end(
            now, value['cooldown']))
        return None

    @classmethod
    def has_attribute(cls, name: str) -> bool:
        """Raises:
            NotSupported: for the URLs, which need APIs not served here."""
        if name in cls.attributes_schema:
            raise exceptions.NotSupported(
                feature='The %s attribute of %s (it needs %s)' % (
                    name, cls.type_label, 'Keystone trusts' if name ==
                    SIGNAL_URL else 'heat-api-cfn'))
        return super().has_attribute(name)

    type_label = 'OS::Heat::ScalingPolicy'


def _alarm_state(details) -> str:
    """The state an alarm's notification reports; 'alarm' otherwise."""
    if not isinstance(details, dict):
        return 'alarm'
    return str(details.get('current', details.get('state', 'alarm'))).lower()
