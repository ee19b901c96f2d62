"""Provider templates: a resource type that is a template file.

A resource whose type is a template (``type: my.yaml``, or a type the
environment's resource_registry maps to one) is a nested stack of that
template.  Its properties are the template's parameters, its attributes
the template's outputs, and ``get_resource`` gives the ``OS::stack_id``
output when the template has one, else the child stack's id.

``class_for`` builds one plugin class per template text (cached): a type's
schema is the template's, so two stacks with different files under the same
name get different classes.
"""

import functools
import hashlib
import json

from convergence import exceptions
from convergence.resources import properties as props
from convergence.resources import stack_resource
from convergence.template import template_format

# Template file names Heat treats as provider templates.
TEMPLATE_SUFFIXES = ('.yaml', '.yml', '.template', '.json')

# Parameter types to property types.
_PROPERTY_TYPES = {'string': props.STRING, 'number': props.NUMBER,
                   'boolean': props.BOOLEAN, 'json': props.MAP,
                   'comma_delimited_list': props.LIST}


def is_template_type(type_name) -> bool:
    """Whether a type name names a template rather than a plugin."""
    return isinstance(type_name, str) and (
        type_name.endswith(TEMPLATE_SUFFIXES) or '://' in type_name)


def class_for(type_name: str, files: dict | None) -> type:
    """The plugin class of the provider template ``type_name`` in ``files``.

    Raises:
        ResourceTypeNotFound: ``files`` has no such template.
    """
    text = (files or {}).get(type_name)
    if text is None:
        raise exceptions.ResourceTypeNotFound(type_name=type_name)
    if not isinstance(text, str):
        text = json.dumps(text, sort_keys=True)
    return _class_for(type_name, text,
                      hashlib.sha256(text.encode()).hexdigest())


@functools.lru_cache(maxsize=512)
def _class_for(type_name: str, text: str, digest: str) -> type:
    template = template_format.parse_template(text)
    parameters = template.get('parameters') or template.get('Parameters') or {}
    outputs = template.get('outputs') or template.get('Outputs') or {}
    schema = {name: _property_schema(p) for name, p in parameters.items()
              if isinstance(p, dict)}
    attributes = {name: (o or {}).get('description', '')
                  if isinstance(o, dict) else '' for name, o in outputs.items()}
    return type('TemplateResource', (TemplateResource,), {
        '__doc__': 'The provider template %s.' % type_name,
        'template_name': type_name, 'template': template,
        'properties_schema': schema, 'attributes_schema': attributes})


def _property_schema(parameter: dict) -> props.Schema:
    kind = _PROPERTY_TYPES.get(str(parameter.get('type', parameter.get(
        'Type', 'string'))).lower(), props.ANY)
    has_default = 'default' in parameter or 'Default' in parameter
    return props.Schema(kind, description=parameter.get('description', ''),
                        required=not has_default, update_allowed=True)


class TemplateResource(stack_resource.StackResource):
    """A nested stack of a provider template (see the module docstring)."""

    template_name: str = ''
    template: dict = {}

    def child_template(self) -> dict:
        return self.template

    def child_parameters(self) -> dict:
        return {k: v for k, v in self.properties.items() if v is not None}
