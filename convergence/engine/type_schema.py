"""What the resource type API shows of a plugin class: its schema
(``resource type show``) and a template made of it (``resource type show
--template-type hot|cfn``), in heat-engine's shapes.

Hidden properties are left out of both, as Heat leaves them out.
"""

from convergence.resources import base
from convergence.resources import properties as props
from convergence.template import constraints as constr

SHOW_DESCRIPTION = 'Detailed information about resource.'
HOT_VERSION = '2016-10-14'
CFN_VERSION = '2012-12-12'
# The output a provider template's reference comes from.
STACK_ID_OUTPUT = 'OS::stack_id'

# Property type -> the parameter type a template offers it as.
_PARAMETER_TYPES = {
    props.STRING: constr.STRING, props.INTEGER: constr.NUMBER,
    props.NUMBER: constr.NUMBER, props.BOOLEAN: constr.BOOLEAN,
    props.LIST: constr.COMMA_DELIMITED_LIST, props.MAP: constr.JSON,
    props.ANY: constr.JSON,
}
_CFN_PARAMETER_TYPES = {
    constr.STRING: 'String', constr.NUMBER: 'Number',
    constr.BOOLEAN: 'Boolean', constr.COMMA_DELIMITED_LIST:
    'CommaDelimitedList', constr.JSON: 'Json',
}


def resource_schema(cls: type, type_name: str,
                    with_description: bool = False) -> dict:
    """heat-engine's ``resource_schema`` result for ``cls``."""
    result = {
        'resource_type': type_name,
        'properties': {name: property_schema(schema)
                       for name, schema in _visible(cls)},
        'attributes': _attributes(cls),
        'support_status': {'status': 'SUPPORTED', 'message': None,
                           'version': cls.support_version,
                           'previous_status': None},
    }
    if with_description:
        result['description'] = ' '.join((cls.__doc__ or '').split())
    return result


def property_schema(schema: props.Schema) -> dict:
    """One property as Heat's ``dict(Schema)``: only the keys that say
    something, in Heat's order."""
    shown = {'type': schema.type}
    if schema.description:
        shown['description'] = schema.description
    if schema.default is not None:
        shown['default'] = schema.default
    if isinstance(schema.schema, props.Schema):
        shown['schema'] = {'*': property_schema(schema.schema)}
    elif isinstance(schema.schema, dict):
        shown['schema'] = {k: property_schema(v)
                           for k, v in schema.schema.items()}
    shown['required'] = schema.required
    if schema.constraints:
        shown['constraints'] = [c.as_hot() for c in schema.constraints]
    shown['update_allowed'] = schema.update_allowed
    shown['immutable'] = schema.immutable
    return shown


def _visible(cls: type):
    return [(name, schema)
            for name, schema in (cls.properties_schema or {}).items()
            if not schema.hidden]


def _attributes(cls: type) -> dict:
    shown = {}
    for name, description in cls.attributes_schema.items():
        shown[name] = {'description': description}
        if name in cls.attribute_types:
            shown[name]['type'] = cls.attribute_types[name]
    shown[base.SHOW_ATTRIBUTE] = {'description': SHOW_DESCRIPTION,
                                  'type': 'map'}
    return shown


def template(cls: type, type_name: str, template_type: str) -> dict:
    """heat-engine's ``generate_template``: a template with one resource of
    the type, each property a parameter, each attribute an output.

    ``template_type``: ``'hot'`` or ``'cfn'``.
    """
    name = cls.__name__
    if template_type == 'hot':
        return _hot(cls, type_name, name)
    return _cfn(cls, type_name, name)


def _attribute_names(cls: type) -> list[str]:
    return list(cls.attributes_schema) + [base.SHOW_ATTRIBUTE]


def _attribute_description(cls: type, attr: str) -> str:
    return cls.attributes_schema.get(attr, SHOW_DESCRIPTION)


def _parameter(schema: props.Schema, type_key: str, description_key: str,
               default_key: str, param_type: str) -> dict:
    """A property as a parameter, with the keys as the format spells them."""
    param = {type_key: param_type}
    if schema.description:
        param[description_key] = schema.description
    if schema.default is not None:
        param[default_key] = schema.default
    return param


def _hot(cls: type, type_name: str, name: str) -> dict:
    parameters = {}
    for prop, schema in _visible(cls):
        param = _parameter(schema, 'type', 'description', 'default',
                           _PARAMETER_TYPES[schema.type])
        if schema.constraints:
            param['constraints'] = [c.as_hot() for c in schema.constraints]
        parameters[prop] = param
    outputs = {attr: {'value': {'get_attr': [name, attr]},
                      'description': _attribute_description(cls, attr)}
               for attr in _attribute_names(cls)}
    outputs[STACK_ID_OUTPUT] = {'value': {'get_resource': name}}
    return {
        'heat_template_version': HOT_VERSION,
        'description': 'Initial template of %s' % name,
        'parameters': parameters,
        'outputs': outputs,
        'resources': {name: {
            'type': type_name,
            'properties': {prop: {'get_param': prop}
                           for prop, _ in _visible(cls)}}},
    }


def _cfn(cls: type, type_name: str, name: str) -> dict:
    parameters, properties = {}, {}
    for prop, schema in _visible(cls):
        param_type = _PARAMETER_TYPES[schema.type]
        param = _parameter(schema, 'Type', 'Description', 'Default',
                           _CFN_PARAMETER_TYPES[param_type])
        if param_type == constr.BOOLEAN:
            # As Heat's generated CFN template: the spellings a boolean takes.
            param['AllowedValues'] = ['True', 'true', 'False', 'false']
        for constraint in schema.constraints:
            # A CFN parameter has no custom constraints (Heat drops them).
            if not isinstance(constraint, constr.CustomConstraint):
                param.update(constraint.summary())
        parameters[prop] = param
        ref = {'Ref': prop}
        properties[prop] = ({'Fn::Split': [',', ref]}
                            if param_type == constr.COMMA_DELIMITED_LIST
                            else ref)
    outputs = {attr: {'Value': {'Fn::GetAtt': [name, attr]},
                      'Description': _attribute_description(cls, attr)}
               for attr in _attribute_names(cls)}
    outputs[STACK_ID_OUTPUT] = {'Value': {'Ref': name}}
    return {
        'HeatTemplateFormatVersion': CFN_VERSION,
        'Description': 'Initial template of %s' % name,
        'Parameters': parameters,
        'Resources': {name: {'Type': type_name, 'Properties': properties}},
        'Outputs': outputs,
    }
