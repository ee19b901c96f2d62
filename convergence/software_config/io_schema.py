"""A software config's input and output declarations, checked as Heat does.

Each is a map with Heat's keys (``name``, ``description``, ``type``,
``default``, ``replace_on_change`` for an input; ``error_output`` for an
output).  ``inputs``/``outputs`` check a list of them and return what is
stored: the given keys plus Heat's defaults (``type`` String; an output's
``error_output`` false), an input's ``replace_on_change`` only when true,
and a ``default`` converted to the input's type.  Pure: no I/O.
"""

from collections.abc import Mapping, Sequence

from convergence import exceptions
from convergence.resources import properties as props
from convergence.resources.properties import (ANY, BOOLEAN, LIST, MAP,
                                              NUMBER, STRING, Schema)
from convergence.template import constraints as constr

NAME, DESCRIPTION, TYPE, DEFAULT = 'name', 'description', 'type', 'default'
REPLACE_ON_CHANGE, VALUE, ERROR_OUTPUT = ('replace_on_change', 'value',
                                          'error_output')

# Heat's I/O type names and the property type a default of each must be.
TYPES = {'String': STRING, 'Number': NUMBER, 'CommaDelimitedList': LIST,
         'Json': MAP, 'Boolean': BOOLEAN}
STRING_TYPE = 'String'

_TYPE_SCHEMA = Schema(STRING, 'Type of the value.', default=STRING_TYPE,
                      constraints=[constr.AllowedValues(list(TYPES))])

INPUT_SCHEMA = {
    NAME: Schema(STRING, 'Name of the input.', required=True),
    DESCRIPTION: Schema(STRING, 'Description of the input.'),
    TYPE: _TYPE_SCHEMA,
    DEFAULT: Schema(ANY, 'Default value for the input if none is given.'),
    REPLACE_ON_CHANGE: Schema(BOOLEAN, 'Replace the deployment instead of '
                              'updating it when the input value changes.',
                              default=False),
}
OUTPUT_SCHEMA = {
    NAME: Schema(STRING, 'Name of the output.', required=True),
    DESCRIPTION: Schema(STRING, 'Description of the output.'),
    TYPE: _TYPE_SCHEMA,
    ERROR_OUTPUT: Schema(BOOLEAN, 'The deployment is in an error state if '
                         'this output has a value.', default=False),
}


def _check_list(declarations, what: str) -> list:
    """Heat's check_io_schema_list, as a 400 naming the problem."""
    if declarations is None:
        return []
    if (not isinstance(declarations, Sequence)
            or isinstance(declarations, (str, bytes))):
        raise exceptions.Invalid(
            reason='Software Config I/O Schema must be in a list (%s)' % what)
    if not all(isinstance(d, Mapping) for d in declarations):
        raise exceptions.Invalid(
            reason='Software Config I/O Schema must be a dict (%s)' % what)
    return list(declarations)


def _typed_default_schema(declaration: Mapping) -> dict:
    """As Heat: a default is checked against the declared type, except an
    empty default of a type other than String."""
    kind = declaration.get(TYPE)
    if (DEFAULT not in declaration or kind not in TYPES
            or (declaration[DEFAULT] == '' and kind != STRING_TYPE)):
        return INPUT_SCHEMA
    return dict(INPUT_SCHEMA, **{DEFAULT: Schema(
        TYPES[kind], 'Default value for the input if none is given.')})


def _checked(schemas: dict, declaration: Mapping, where: str) -> dict:
    try:
        values = props.validate_map(schemas, declaration, where)
    except exceptions.StackValidationFailed as exc:
        raise exceptions.Invalid(reason=exc.message) from None
    return {key: value for key, value in values.items() if value is not None}


def inputs(declarations) -> list[dict]:
    """The inputs as stored; raises Invalid (400) naming a bad one."""
    result = []
    for index, declaration in enumerate(_check_list(declarations, 'inputs')):
        declaration = dict(declaration)
        value_given = VALUE in declaration
        value = declaration.pop(VALUE, None)
        stored = _checked(_typed_default_schema(declaration), declaration,
                          'inputs[%d]' % index)
        if not stored[REPLACE_ON_CHANGE]:
            del stored[REPLACE_ON_CHANGE]
        if value_given:
            stored[VALUE] = value
        result.append(stored)
    return result


def outputs(declarations) -> list[dict]:
    """The outputs as stored; raises Invalid (400) naming a bad one."""
    return [_checked(OUTPUT_SCHEMA, dict(declaration), 'outputs[%d]' % index)
            for index, declaration in enumerate(
                _check_list(declarations, 'outputs'))]
