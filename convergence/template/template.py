"""A parsed template (HOT or CFN): its version and the shape of its sections.

``Template`` checks structure only (sections, resource and output keys,
value types).  Callers name sections and keys the HOT way (``resources``);
the version's ``keys`` say how this template spells them.  What the
functions inside mean is the business of ``StackDefinition``, which
combines a template with an environment.
"""

from collections.abc import Mapping

from convergence import exceptions
from convergence.template import versions
from convergence.template.keys import TemplateKeys
from convergence.template.versions import VersionSpec

# Keyed by the HOT spelling (the field names of TemplateKeys).
_KEY_TYPES = {
    'type': ((str,), 'string'),
    'properties': ((Mapping,), 'object'),
    'metadata': ((Mapping,), 'object'),
    'update_policy': ((Mapping,), 'object'),
    'deletion_policy': ((str, Mapping), 'string'),
    'external_id': ((str, Mapping), 'string'),
    'condition': ((str, bool, Mapping), 'string_or_boolean'),
    'description': ((str,), 'string'),
}


def _failed(message: str, path=None) -> exceptions.StackValidationFailed:
    return exceptions.StackValidationFailed(message=message, path=path)


class Template:
    """A template dict plus the files its ``get_file`` calls may read."""

    def __init__(self, tmpl: dict, files: dict | None = None):
        self.t = tmpl
        self.files = dict(files or {})
        self._spec: VersionSpec | None = None

    @property
    def spec(self) -> VersionSpec:
        """The version's rules; InvalidTemplateVersion if it has none."""
        if self._spec is None:
            self._spec = versions.spec_for(self.t)
        return self._spec

    @property
    def version(self) -> str:
        """The version as a date, release names mapped (newton: 2016-10-14)."""
        return self.spec.date

    @property
    def keys(self) -> TemplateKeys:
        """How this template's format spells sections and keys."""
        return self.spec.keys

    @property
    def description(self) -> str:
        """The description, or Heat's 'No description' when there is none."""
        return self.t.get(self.keys.description) or 'No description'

    def to_dict(self) -> dict:
        """The template as given (do not mutate it)."""
        return self.t

    @classmethod
    def empty_like(cls, other: 'Template') -> 'Template':
        """Same version, parameters and conditions; no resources or outputs.

        Converging to it deletes every resource of a stack.
        """
        keys = other.keys
        kept = (other.spec.version_key, keys.description, keys.parameters,
                keys.parameter_groups, keys.conditions, keys.mappings)
        return cls({k: v for k, v in other.t.items() if k in kept},
                   other.files)

    def section(self, name: str) -> Mapping:
        """A map section named the HOT way (resources, outputs...), {} when
        absent, empty or not in this format."""
        key = getattr(self.keys, name)
        return (self.t.get(key) or {}) if key is not None else {}

    def validate(self) -> None:
        """Check version, sections, and each resource and output's keys."""
        spec = self.spec
        for key in self.t:
            if key not in spec.sections:
                raise exceptions.InvalidTemplateSection(section=key)
        keys = spec.keys
        for name in (keys.parameters, keys.resources, keys.outputs,
                     keys.conditions, keys.mappings):
            value = self.t.get(name)
            if value is not None and not isinstance(value, Mapping):
                raise _failed('The "%s" section must be a map, not %s'
                              % (name, type(value).__name__))
        for name, snippet in self.section('resources').items():
            validate_resource(name, snippet, spec)
        for name, snippet in self.section('outputs').items():
            validate_output(name, snippet, spec)
        validate_parameter_groups(self.t.get(keys.parameter_groups),
                                  self.section('parameters'))


def _check_entry(section: str, key_name: str, name, snippet,
                 allowed: tuple) -> None:
    """Heat's checks: a non-empty map, known keys, the required key."""
    obj, path = section[:-1].lower(), ['%s.%s' % (section, name)]
    if not snippet:
        raise _missing(obj, key_name, path)
    if not isinstance(snippet, Mapping):
        raise _failed('"%s" must contain a map of %s maps. Found a [%s] '
                      'instead' % (section, obj, type(snippet)), path)
    for key in snippet:
        if key not in allowed:
            raise _failed('"%s" is not a valid keyword inside a %s '
                          'definition' % (key, obj), path)
    if key_name not in snippet:
        raise _missing(obj, key_name, path)


def _missing(obj: str, key_name: str, path) -> exceptions.StackValidationFailed:
    return _failed('Each %s must contain a %s key.' % (obj, key_name), path)


def validate_resource(name, snippet, spec: VersionSpec) -> None:
    """Check one resource definition's keys and the types of their values."""
    keys = spec.keys
    path = ['%s.%s' % (keys.resources, name)]
    if '/' in str(name):
        raise _failed('Resource name may not contain "/"', path)
    _check_entry(keys.resources, keys.type, name, snippet,
                 spec.resource_keys)
    for field, (types, type_name) in _KEY_TYPES.items():
        key = getattr(keys, field)
        if key in snippet and not isinstance(snippet[key], types):
            raise _failed('Resource %s %s type must be %s'
                          % (name, key, type_name), path)
    depends = snippet.get(keys.depends_on)
    if depends is not None:
        items = [depends] if isinstance(depends, str) else depends
        if not isinstance(items, list) or \
                not all(isinstance(d, str) for d in items):
            raise _failed('Resource %s %s must be a list of strings'
                          % (name, keys.depends_on), path)


def validate_output(name, snippet, spec: VersionSpec) -> None:
    """Check one output definition's keys."""
    _check_entry(spec.keys.outputs, spec.keys.value, name, snippet,
                 spec.output_keys)


def validate_parameter_groups(groups, parameters: Mapping) -> None:
    """Each group lists known parameters; none is in two groups."""
    if not groups:
        return
    if not isinstance(groups, list):
        raise _failed('Parameter Groups error: parameter_groups: The '
                      'parameter_groups should be a list.')
    seen = set()
    for group in groups:
        label = group.get('label', '') if isinstance(group, Mapping) else ''
        where = 'Parameter Groups error: parameter_groups.%s: ' % label
        names = group.get('parameters') if isinstance(group, Mapping) \
            else None
        if names is None:
            raise _failed(where + 'The parameters must be provided for each '
                                  'parameter group.')
        if not isinstance(names, list):
            raise _failed(where + 'The parameters of parameter group should '
                                  'be a list.')
        for param in names:
            if param in seen:
                raise _failed(where + 'The %s parameter must be assigned to '
                                      'one parameter group only.' % param)
            seen.add(param)
            if param not in parameters:
                raise _failed(where + 'The grouped parameter %s does not '
                                      'reference a valid parameter.' % param)
