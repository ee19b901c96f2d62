"""AWS::AutoScaling::ScalingPolicy: OS::Heat::ScalingPolicy's signal with
AWS names, for an AWS::AutoScaling::AutoScalingGroup.

A signal (``resource_signal``) asks the group whose reference
``AutoScalingGroupName`` gives to change by ``ScalingAdjustment`` of
``AdjustmentType`` (ChangeInCapacity, ExactCapacity or
PercentChangeInCapacity; ``MinAdjustmentStep`` with the last only), outside
the policy's ``Cooldown``: the same handling as OS::Heat::ScalingPolicy's
(``scaling_policy``), which a signal during a suspend never reaches
(``engine/signals``: Heat's 400 and event).

``AlarmUrl`` is a URL signed for heat-api-cfn, which this engine does not
serve: a template that reads it is refused with that reason, as
OS::Heat::ScalingPolicy's ``alarm_url`` is.  Heat also gives that URL as
the policy's reference; here the reference is the policy's physical
resource name.
"""

from convergence.resources import constraints as constr
from convergence.resources import scaling
from convergence.resources import scaling_policy
from convergence.resources.properties import INTEGER, STRING, Schema

PROPERTIES = (AUTO_SCALING_GROUP_NAME, SCALING_ADJUSTMENT, ADJUSTMENT_TYPE,
              COOLDOWN, MIN_ADJUSTMENT_STEP) = (
    'AutoScalingGroupName', 'ScalingAdjustment', 'AdjustmentType',
    'Cooldown', 'MinAdjustmentStep')
ALARM_URL = 'AlarmUrl'


class AWSScalingPolicy(scaling_policy.ScalingPolicy):
    """Resource to manage scaling for AWS::AutoScaling::AutoScalingGroup."""

    properties_schema = {
        AUTO_SCALING_GROUP_NAME: Schema(
            STRING, 'AutoScaling group name to apply policy to.',
            required=True),
        SCALING_ADJUSTMENT: Schema(INTEGER, 'Size of adjustment.',
                                   required=True, update_allowed=True),
        ADJUSTMENT_TYPE: Schema(
            STRING, 'Type of adjustment (absolute or percentage).',
            required=True, update_allowed=True,
            constraints=[constr.AllowedValues(
                list(scaling.CFN_ADJUSTMENT_TYPES))]),
        COOLDOWN: Schema(INTEGER, 'Cooldown period, in seconds.',
                         update_allowed=True),
        MIN_ADJUSTMENT_STEP: Schema(
            INTEGER, 'Minimum number of resources that are added or removed '
                     'when the AutoScaling group scales up or down. This can '
                     'be used only when specifying PercentChangeInCapacity '
                     'for the AdjustmentType property.', update_allowed=True,
            constraints=[constr.Range(min=0)]),
    }
    attributes_schema = {
        ALARM_URL: 'A signed url to handle the alarm. (Heat extension).',
    }
    attribute_types = {ALARM_URL: 'string'}
    names = dict(zip(('group', 'adjustment', 'type', 'cooldown', 'step'),
                     PROPERTIES))
    percent_type = scaling.CFN_PERCENT_CHANGE_IN_CAPACITY
    type_label = 'AWS::AutoScaling::ScalingPolicy'
