"""OS::Heat::RandomString: a random string, regenerated on any change.

The string is drawn with SystemRandom: at least ``min`` characters from each
character class and each custom character sequence, the rest from the union
of them all, then shuffled.  No property can be updated in place, so changing
any of them (typically ``salt``) replaces the resource with a new string.
``get_resource`` gives the string itself.
"""

import random
import string

from convergence.exceptions import StackValidationFailed
from convergence.resources import constraints as constr
from convergence.resources.base import Resource
from convergence.resources.properties import INTEGER, LIST, MAP, STRING, \
    Schema
from convergence.template.unresolved import contains_unresolved

LENGTH, SEQUENCE, CHARACTER_CLASSES, CHARACTER_SEQUENCES, SALT = (
    'length', 'sequence', 'character_classes', 'character_sequences', 'salt')
CLASS, MIN = 'class', 'min'
VALUE = 'value'

# The named character classes and their members (hexdigits is upper case).
CHARACTER_CLASS_MEMBERS = {
    'lettersdigits': string.ascii_letters + string.digits,
    'letters': string.ascii_letters,
    'lowercase': string.ascii_lowercase,
    'uppercase': string.ascii_uppercase,
    'digits': string.digits,
    'hexdigits': string.digits + 'ABCDEF',
    'octdigits': string.octdigits,
}
DEFAULT_CLASS = 'lettersdigits'

_random = random.SystemRandom()


def _min_count(description: str) -> Schema:
    return Schema(INTEGER, description, default=1,
                  constraints=[constr.Range(1, 512)])


def _class_name(**kwargs) -> Schema:
    allowed = constr.AllowedValues(list(CHARACTER_CLASS_MEMBERS))
    return Schema(STRING, constraints=[allowed], **kwargs)


def generate(length: int, pools: list[tuple[str, int]]) -> str:
    """``length`` random characters with at least ``count`` from each pool."""
    pools = [(sorted(set(chars)), count) for chars, count in pools]
    chosen = [_random.choice(chars) for chars, count in pools
              for _ in range(count)]
    union = sorted({c for chars, _ in pools for c in chars})
    chosen += [_random.choice(union)
               for _ in range(max(0, length - len(chosen)))]
    return ''.join(_random.sample(chosen, length))


class RandomString(Resource):
    """Generates its string once, at create."""

    retry_safe = True
    properties_schema = {
        LENGTH: Schema(INTEGER, 'Length of the string.', default=32,
                       constraints=[constr.Range(1, 512)]),
        SEQUENCE: _class_name(description='Deprecated: use %s.'
                              % CHARACTER_CLASSES, hidden=True),
        CHARACTER_CLASSES: Schema(
            LIST, 'Character classes and how many of each at least.',
            default=[{CLASS: DEFAULT_CLASS, MIN: 1}],
            schema=Schema(MAP, schema={
                CLASS: _class_name(default=DEFAULT_CLASS),
                MIN: _min_count('Least characters from this class.')})),
        CHARACTER_SEQUENCES: Schema(
            LIST, 'Custom character sets and how many of each at least.',
            schema=Schema(MAP, schema={
                SEQUENCE: Schema(STRING, 'The characters.', required=True),
                MIN: _min_count('Least characters from this sequence.')})),
        SALT: Schema(STRING, 'Change it to get a new string; else ignored.'),
    }
    attributes_schema = {VALUE: 'The random string.'}
    attribute_types = {VALUE: 'string'}
    support_version = '2014.1'

    @classmethod
    def translate_properties(cls, props: dict) -> dict:
        """The deprecated ``sequence`` becomes one more character class."""
        sequence = props.get(SEQUENCE)
        classes = props.get(CHARACTER_CLASSES)
        if not sequence or not (classes is None or isinstance(classes, list)):
            return props
        props = {k: v for k, v in props.items() if k != SEQUENCE}
        props[CHARACTER_CLASSES] = list(classes or []) + [
            {CLASS: sequence, MIN: 1}]
        return props

    @classmethod
    def check_properties(cls, resource_name: str, props: dict) -> None:
        """The minimums together must fit in the length."""
        relevant = [props[LENGTH], props[CHARACTER_CLASSES],
                    props[CHARACTER_SEQUENCES]]
        if contains_unresolved(relevant):
            return
        least = sum(item[MIN] for key in (CHARACTER_CLASSES,
                                          CHARACTER_SEQUENCES)
                    for item in props[key] or [])
        if least > props[LENGTH]:
            raise StackValidationFailed(
                'Length property cannot be smaller than combined character '
                'class and character sequence minimums')

    def _pools(self) -> list[tuple[str, int]]:
        sequences = [(s[SEQUENCE], s[MIN])
                     for s in self.properties.get(CHARACTER_SEQUENCES) or []]
        classes = [(CHARACTER_CLASS_MEMBERS[c[CLASS]], c[MIN])
                   for c in self.properties.get(CHARACTER_CLASSES) or []]
        return sequences + classes

    def handle_create(self) -> None:
        self.data_set(VALUE, generate(self.properties[LENGTH], self._pools()))
        self.resource_id_set(self.physical_resource_name())

    def handle_restore(self, entry: dict) -> None:
        """A restore brings the snapshot's value back, not a new one."""
        value = (entry.get('resource_data') or {}).get(VALUE)
        if value is None:
            self.handle_create()
            return
        self.data_set(VALUE, value)
        self.resource_id_set(self.physical_resource_name())

    def get_reference_id(self) -> str:
        """The string itself once created, else the logical name."""
        if self.resource_id is not None:
            return self.data_get(VALUE)
        return str(self.name)

    def _resolve_attribute(self, name: str) -> object:
        return self.data_get(VALUE) if name == VALUE else None
