"""Provider templates: a resource type that is a template file.

A resource whose type is a template (``type: my.yaml``, or a type the
environment's resource_registry maps to one) is a nested stack of that
template, read from the request's ``files``.  As in Heat's
``TemplateResource``: its properties are the template's parameters (type,
constraints; required when the parameter has no default), its attributes
the template's outputs, and ``get_resource`` gives the ``OS::stack_id``
output when the template has one, else the child stack's ARN.  Property
values reach the child as parameter values the way Heat passes them: a
list as a comma-delimited string, a map as is (a json parameter takes it).

``class_for`` builds one plugin class per template text (cached): a type's
schema is the template's, so two stacks with different files under the same
name get different classes.  This engine never downloads a template: a type
naming a template that is not in ``files`` is refused.
"""

import functools
import hashlib
import json
from urllib.parse import quote

from convergence import exceptions
from convergence.resources import properties as props
from convergence.resources import stack_resource
from convergence.template import constraints as constr
from convergence.template import parameters as params_mod
from convergence.template import template as tmpl_mod
from convergence.template import template_format

# Template file names Heat treats as provider templates.
TEMPLATE_SUFFIXES = ('.yaml', '.template')

# Attributes naming a resource of the child stack (Heat's grouputils).
NESTED_RESOURCE_PREFIX = 'resource.'

# Parameter types to property types (Heat's Schema.from_parameter).
_PROPERTY_TYPES = {constr.STRING: props.STRING, constr.NUMBER: props.NUMBER,
                   constr.BOOLEAN: props.BOOLEAN, constr.JSON: props.MAP,
                   constr.COMMA_DELIMITED_LIST: props.LIST}


def is_template_type(type_name) -> bool:
    """Whether a type name names a template rather than a plugin."""
    return isinstance(type_name, str) and type_name.endswith(
        TEMPLATE_SUFFIXES)


def class_for(type_name: str, files: dict | None) -> type:
    """The plugin class of the provider template ``type_name`` in ``files``.

    Raises:
        ResourceTypeNotFound: ``files`` has no such template.
        StackValidationFailed: the template cannot be parsed.
    """
    text = (files or {}).get(type_name)
    if text is None:
        raise exceptions.ResourceTypeNotFound(type_name=type_name)
    if not isinstance(text, str):
        text = json.dumps(text, sort_keys=True)
    return _class_for(type_name, text,
                      hashlib.sha256(text.encode()).hexdigest())


def missing_template(type_name: str) -> str:
    """Why a provider template type cannot be used: it is not in files."""
    return ('Could not fetch remote template "%s": the template is not in '
            'the request\'s files (this engine does not download '
            'templates).' % type_name)


@functools.lru_cache(maxsize=512)
def _class_for(type_name: str, text: str, digest: str) -> type:
    try:
        template = tmpl_mod.Template(template_format.parse_template(text))
        schemas = params_mod.Parameters(
            template.t.get(template.keys.parameters), template.spec, {},
            {}, None).schemas
    except exceptions.ConvergenceError as exc:
        raise exceptions.StackValidationFailed(
            message='Failed to retrieve template data: %s: %s'
                    % (type_name, exc.message)) from None
    outputs = template.section('outputs')
    attributes = {name: str((o or {}).get(template.keys.description) or '')
                  if isinstance(o, dict) else '' for name, o in outputs.items()}
    doc = template.t.get(template.keys.description) or \
        'The provider template %s.' % type_name
    return type('TemplateResource', (TemplateResource,), {
        '__doc__': doc,
        'template_name': type_name, 'template': template.t,
        'properties_schema': {name: _property_schema(s)
                              for name, s in schemas.items()},
        'attributes_schema': attributes,
        'defaulted': frozenset(n for n, s in schemas.items()
                               if s.default is not None)})


def _property_schema(schema: params_mod.ParamSchema,
                     required: bool = False) -> props.Schema:
    kind = _PROPERTY_TYPES[schema.type]
    constraints = [c for c in schema.constraints if kind in c.valid_types]
    return props.Schema(kind, description=schema.description or '',
                        required=required, update_allowed=True,
                        constraints=constraints)


def parameter_value(schema: props.Schema, value):
    """A property value as Heat passes it to the child as a parameter."""
    if schema.type != props.LIST or not isinstance(value, list):
        return value
    if value and isinstance(value[0], dict):
        return ','.join('.member.%d.%s=%s' % (count, k, v)
                        for count, item in enumerate(value)
                        for k, v in item.items())
    return ','.join('' if x is None else str(x) for x in value)


class TemplateResource(stack_resource.StackResource):
    """A nested stack of a provider template (see the module docstring)."""

    template_name: str = ''
    template: dict = {}
    # Parameters the template itself gives a default.
    defaulted: frozenset = frozenset()

    @classmethod
    def child_template_for_validation(cls, properties: dict, files: dict,
                                      env: dict) -> dict | None:
        return cls.template

    @classmethod
    def child_parameters_for_validation(cls, properties: dict) -> dict:
        return cls.parameters_from(properties)

    @classmethod
    def registry_template(cls) -> str | None:
        return cls.template_name

    @classmethod
    def with_parameter_defaults(cls, names) -> type:
        """This class with every parameter that has no default, neither in
        the template nor in the environment's ``parameter_defaults``
        (``names``), a required property, as Heat builds the schema."""
        missing = frozenset(n for n in cls.properties_schema
                            if n not in cls.defaulted and n not in names)
        return _required(cls, missing) if missing else cls

    @classmethod
    def required_parameters(cls) -> frozenset:
        """Parameters without a default in the template."""
        return frozenset(n for n in cls.properties_schema
                         if n not in cls.defaulted)

    @classmethod
    def parameters_from(cls, properties: dict) -> dict:
        schema = cls.properties_schema or {}
        return {k: parameter_value(schema[k], v) if k in schema else v
                for k, v in properties.items() if v is not None}

    def child_template(self) -> dict:
        """The provider template, with an output for each ``resource.<name>
        [.<attribute>]`` attribute the parent reads (Heat reads these from
        the child's resources; here the child's outputs carry them)."""
        t = tmpl_mod.Template(self.template)
        names = t.section('resources')
        added = {}
        for attr in sorted(self.context.referenced_attributes):
            if not attr.startswith(NESTED_RESOURCE_PREFIX):
                continue
            target = attr[len(NESTED_RESOURCE_PREFIX):].split('.', 1)
            if target[0] in names and attr not in t.section('outputs'):
                added[attr] = {t.keys.value: self._read(t, target)}
        if not added:
            return self.template
        outputs = dict(self.template.get(t.keys.outputs) or {})
        outputs.update(added)
        return {**self.template, t.keys.outputs: outputs}

    def child_parameters(self) -> dict:
        return self.parameters_from(self.properties)

    @staticmethod
    def _read(t, target: list):
        """What reads ``resource.<target>`` in the child: the member's
        reference, or one of its attributes (Heat's grouputils)."""
        if len(target) == 2:
            return {_get_attr(t): target}
        cfn = t.keys.outputs == 'Outputs'
        return {'Ref' if cfn else 'get_resource': target[0]}

    def get_reference_id(self) -> str:
        if self.resource_id is None:
            return str(self.name)
        if stack_resource.STACK_ID_OUTPUT in self.outputs:
            return self.outputs[stack_resource.STACK_ID_OUTPUT]
        return self.stack_arn()

    def stack_arn(self) -> str:
        """Heat's ARN of the child stack."""
        return 'arn:openstack:heat::%s:stacks/%s/%s' % (
            quote(self.context.tenant or '', ''),
            quote(self.physical_resource_name(), ''),
            quote(str(self.resource_id), ''))


def _get_attr(t) -> str:
    return 'Fn::GetAtt' if t.keys.outputs == 'Outputs' else 'get_attr'


@functools.lru_cache(maxsize=512)
def _required(cls: type, names: frozenset) -> type:
    schema = {n: props.Schema(s.type, description=s.description,
                              required=n in names, update_allowed=True,
                              constraints=s.constraints)
              for n, s in cls.properties_schema.items()}
    return type(cls.__name__, (cls,), {'properties_schema': schema})
