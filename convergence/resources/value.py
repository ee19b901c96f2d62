"""OS::Heat::Value: exposes its ``value`` property, optionally re-typed.

When ``type`` is given, ``value`` is validated and converted as a property of
the matching kind (``number`` turns "5" into 5, ``boolean`` accepts "TRUE",
``comma_delimited_list`` needs a list, ``json`` needs a map).  Updates are
always in place.
"""

from convergence.resources import constraints as constr
from convergence.resources.base import Resource
from convergence.resources.properties import (ANY, BOOLEAN, LIST, MAP,
                                              NUMBER, STRING, Schema)

VALUE, TYPE = 'value', 'type'

# Heat's parameter type names and the property type each one means.
VALUE_TYPES = {'string': STRING, 'number': NUMBER,
               'comma_delimited_list': LIST, 'json': MAP, 'boolean': BOOLEAN}


def _value_schema(data_type: str) -> Schema:
    return Schema(data_type, 'The value exposed as attribute "value".',
                  required=True, update_allowed=True)


class Value(Resource):
    """Holds a value; its physical id is its physical resource name."""

    retry_safe = True
    properties_schema = {
        VALUE: _value_schema(ANY),
        TYPE: Schema(STRING, 'The type "value" is converted to.',
                     update_allowed=True,
                     constraints=[constr.AllowedValues(list(VALUE_TYPES))]),
    }
    attributes_schema = {VALUE: 'The value, converted to "type" if given.'}
    support_version = '7.0.0'

    @classmethod
    def schema_for(cls, props: dict) -> dict:
        """Type ``value`` by ``type`` when that names a known type."""
        value_type = props.get(TYPE)
        if not isinstance(value_type, str) or value_type not in VALUE_TYPES:
            return cls.properties_schema
        return dict(cls.properties_schema,
                    **{VALUE: _value_schema(VALUE_TYPES[value_type])})

    def handle_create(self) -> None:
        self.resource_id_set(self.physical_resource_name())

    def handle_update(self, new_properties: dict, prop_diff: dict) -> None:
        """Nothing to do: the new properties are the new value."""
        return None

    def _resolve_attribute(self, name: str) -> object:
        return self.properties.get(VALUE) if name == VALUE else None
