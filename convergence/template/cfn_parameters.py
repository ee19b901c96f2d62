"""CFN parameters: their schema keys and the AWS:: pseudo parameters.

A CFN parameter is the HOT one written differently: ``Type: Number`` for
``type: number``, constraints as keys of the parameter (``MinValue``,
``AllowedPattern``...) sharing one ``ConstraintDescription``, ``NoEcho``
for ``hidden``.  It parses into the same ``ParamSchema``.
"""

from urllib.parse import quote

from convergence import exceptions
from convergence.template import constraints as constr
from convergence.template.parameters import API_TYPES, ParamSchema

KEYS = ('Type', 'Default', 'NoEcho', 'AllowedValues', 'AllowedPattern',
        'MaxLength', 'MinLength', 'MaxValue', 'MinValue', 'Description',
        'ConstraintDescription', 'Label')
TYPES = {api: internal for internal, api in API_TYPES.items()}

PSEUDO_PARAMETERS = (STACK_ID, STACK_NAME, REGION) = (
    'AWS::StackId', 'AWS::StackName', 'AWS::Region')
# Heat's AWS::Region: a fixed value, whatever the cloud's region is.
HEAT_REGION = 'ap-southeast-1'


def schema_from_dict(name: str, data, spec) -> ParamSchema:
    """Parse one entry of ``Parameters``; InvalidSchemaError if wrong."""
    constr.check_keys(data, KEYS, 'parameter (%s)' % name)
    if 'Type' not in data:
        raise exceptions.InvalidSchemaError(
            message='Missing parameter type for parameter: %s' % name)
    if data['Type'] not in TYPES:
        raise exceptions.InvalidSchemaError(
            message='Invalid type (%s)' % (data['Type'],))
    return ParamSchema(name, TYPES[data['Type']], data.get('Description'),
                       data.get('Default'), list(_constraints(data)),
                       str(data.get('NoEcho', 'false')).lower() == 'true',
                       data.get('Label'))


def _constraints(data):
    desc = data.get('ConstraintDescription')
    for low, high, cls in (('MinValue', 'MaxValue', constr.Range),
                           ('MinLength', 'MaxLength', constr.Length)):
        if low in data or high in data:
            yield cls(_number(data, low), _number(data, high), desc)
    if 'AllowedValues' in data:
        yield constr.AllowedValues(data['AllowedValues'], desc)
    if 'AllowedPattern' in data:
        yield constr.AllowedPattern(data['AllowedPattern'], desc)


def _number(data, key: str):
    value = data.get(key)
    if value is None:
        return None
    try:
        return constr.str_to_num(value)
    except (ValueError, TypeError):
        raise exceptions.InvalidSchemaError(
            message='%s must be numeric' % key) from None


def pseudo_values(identity) -> dict[str, str]:
    """AWS::StackId (Heat's ARN of the stack), StackName and Region."""
    if identity is None:
        return {STACK_ID: '', STACK_NAME: '', REGION: HEAT_REGION}
    arn = 'arn:openstack:heat::%s:stacks/%s/%s' % (
        quote(str(identity.project_id or ''), ''),
        quote(str(identity.stack_name or ''), ''),
        quote(str(identity.stack_id or ''), ''))
    return {STACK_ID: arn, STACK_NAME: str(identity.stack_name or ''),
            REGION: HEAT_REGION}
