"""A provider template standing in for another type (a facade) must offer
that type's interface, as Heat's ``TemplateResource._validate_against_facade``
checks.

The facade is the type the resource's declared type maps to when the
registry entries naming its template are left out: a global
``OS::Thingy: facade.yaml`` under a per-resource ``OS::Thingy:
concrete.yaml``, or the plugin a global mapping replaces.
"""

from convergence import exceptions
from convergence import resources
from convergence.resources import properties as props
from convergence.resources import template_resource

# Property types as a provider's parameter gives them (Heat's
# Schema.allowed_param_prop_type).
_AS_PARAMETER = {props.INTEGER: props.NUMBER}


def check(stack_def, defn, cls: type) -> None:
    """Raise StackValidationFailed (Heat's wording) if the provider ``cls``
    of ``defn`` lacks what its facade type declares."""
    if not issubclass(cls, template_resource.TemplateResource):
        return
    facade_type = stack_def.environment.resource_type(
        defn.declared_type, defn.name, ignore=cls.template_name)
    if facade_type == cls.template_name:
        return
    try:
        facade_cls = resources.get_class(facade_type,
                                         stack_def.template.files)
    except exceptions.ResourceTypeNotFound:
        return
    _compare(facade_cls, cls, defn.declared_type)


def _compare(facade_cls: type, cls: type, type_name: str) -> None:
    facade = facade_cls.properties_schema or {}
    provider = cls.properties_schema or {}
    required = getattr(facade_cls, 'required_parameters', frozenset)()
    for name, schema in facade.items():
        if (schema.required or name in required) and name not in provider:
            _fail('Required property %s for facade %s missing in provider'
                  % (name, type_name))
        wanted = _AS_PARAMETER.get(schema.type, schema.type)
        if name in provider and wanted != provider[name].type:
            _fail('Property %s type mismatch between facade %s (%s) and '
                  'provider (%s)' % (name, type_name, schema.type,
                                     provider[name].type))
    for name in sorted(cls.required_parameters()):
        if name not in facade:
            _fail('Provider requires property %s unknown in facade %s'
                  % (name, type_name))
    for attr in facade_cls.attributes_schema:
        if attr not in cls.attributes_schema:
            _fail('Attribute %s for facade %s missing in provider'
                  % (attr, type_name))


def _fail(message: str):
    raise exceptions.StackValidationFailed(message=message)
