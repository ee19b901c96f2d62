"""The stack environment: parameters, defaults and the resource registry.

The registry maps declared resource types to others (``OS::Foo:
OS::Heat::None``, globs such as ``OS::Foo::*: OS::Bar::*``) and carries
per-resource settings under ``resources`` (``restricted_actions``,
``hooks``, per-resource type mappings, and the settings of a nested stack's
own resources as a map under its resource's name; names may be globs).  A
registry value naming a template file (``My::T: my.yaml``) makes that type
a provider template, read from the request's files.

``child_environment`` is what a nested stack inherits, as Heat's
``get_child_environment`` builds it.  Heat's other sections are parsed so
that what this engine does not do can be refused by name
(``check_honoured``): post-action breakpoint hooks, event sinks and
encrypted parameters.  ``hooks`` says which breakpoints stop a resource
(``worker/breakpoints``).  ``parameter_merge_strategies`` only act while environment
files are merged (``env_merge``); an unknown strategy is refused.
"""

import copy
import fnmatch
from collections.abc import Mapping, Sequence

from convergence import exceptions

SECTIONS = (PARAMETERS, RESOURCE_REGISTRY, PARAMETER_DEFAULTS,
            ENCRYPTED_PARAM_NAMES, EVENT_SINKS, PARAMETER_MERGE_STRATEGIES) = (
    'parameters', 'resource_registry', 'parameter_defaults',
    'encrypted_param_names', 'event_sinks', 'parameter_merge_strategies')

RESTRICTED_ACTIONS = ('update', 'replace')
HOOK_TYPES = (PRE_CREATE, PRE_UPDATE, PRE_DELETE, POST_CREATE, POST_UPDATE,
              POST_DELETE) = ('pre-create', 'pre-update', 'pre-delete',
                              'post-create', 'post-update', 'post-delete')
# The breakpoints this engine stops at (before the action).
HONOURED_HOOKS = (PRE_CREATE, PRE_UPDATE, PRE_DELETE)
# How environment files merge a parameter (Heat's environment_util).
MERGE_STRATEGIES = (OVERWRITE, MERGE, DEEP_MERGE) = (
    'overwrite', 'merge', 'deep_merge')
# The key of parameter_merge_strategies that sets the file's default.
DEFAULT_STRATEGY = 'default'


def _bad(reason: str) -> exceptions.BadRequest:
    return exceptions.BadRequest(
        message='Environment not in valid format: %s' % reason)


class Environment:
    """A user environment, validated on construction."""

    def __init__(self, env: Mapping | None = None):
        env = {} if env is None else env
        if not isinstance(env, Mapping):
            raise _bad('The environment is not a valid YAML mapping data '
                       'type.')
        for section, value in env.items():
            if section not in SECTIONS:
                raise _bad('environment has wrong section "%s"' % section)
            if value is None:
                raise _bad('environment has empty section "%s"' % section)
        self.parameters = dict(_mapping(env, PARAMETERS))
        self.parameter_defaults = dict(_mapping(env, PARAMETER_DEFAULTS))
        self.encrypted_param_names = list(env.get(ENCRYPTED_PARAM_NAMES, []))
        self.event_sinks = list(env.get(EVENT_SINKS, []))
        _check_merge_strategies(_mapping(env, PARAMETER_MERGE_STRATEGIES))
        self._registry = {'resources': {}}
        _load_registry(self._registry, _mapping(env, RESOURCE_REGISTRY))

    def check_honoured(self) -> None:
        """Refuse, by name, settings this engine would silently ignore.

        Checked for a stack operation's request, not when a stored
        environment is loaded: a stack stored with one of them can still be
        deleted.

        Raises:
            NotSupported: post-action breakpoint hooks, event sinks or
                encrypted parameter names are set.
        """
        _refuse_hooks(self._registry['resources'], 'resource_registry.'
                      'resources')
        if self.event_sinks:
            raise exceptions.NotSupported(
                message='%s: Event sinks are not supported by this engine.'
                        % EVENT_SINKS)
        if self.encrypted_param_names:
            raise exceptions.NotSupported(
                message='%s: Parameters are never stored encrypted by this '
                        'engine (%s).' % (ENCRYPTED_PARAM_NAMES,
                                          _listed(self.encrypted_param_names)))

    def to_dict(self) -> dict:
        """The whole environment, as stored and as GET .../environment shows."""
        env = self.user_dict()
        env[ENCRYPTED_PARAM_NAMES] = list(self.encrypted_param_names)
        return env

    def user_dict(self) -> dict:
        """The environment without engine-only keys (the validate API)."""
        return {PARAMETERS: copy.deepcopy(self.parameters),
                PARAMETER_DEFAULTS: copy.deepcopy(self.parameter_defaults),
                RESOURCE_REGISTRY: copy.deepcopy(self._registry),
                EVENT_SINKS: copy.deepcopy(self.event_sinks)}

    def merged_with(self, env: Mapping | None,
                    clear_parameters=()) -> 'Environment':
        """This environment with ``env`` loaded over it (a PATCH update).

        Parameters and defaults are updated key by key, registry entries
        replace (``null`` removes one), event sinks are appended; parameters
        named in ``clear_parameters`` are dropped first.
        """
        other = Environment(env)
        merged = Environment(self.to_dict())
        for name in clear_parameters:
            merged.parameters.pop(name, None)
        merged.parameters.update(other.parameters)
        merged.parameter_defaults.update(other.parameter_defaults)
        _load_registry(merged._registry,
                       _mapping(env or {}, RESOURCE_REGISTRY))
        merged.event_sinks.extend(other.event_sinks)
        return merged

    def with_only_parameters(self, names) -> 'Environment':
        """A copy whose ``parameters`` keep only ``names`` (after a PATCH
        update to a template that no longer has some of them)."""
        kept = Environment(self.to_dict())
        names = set(names)
        kept.parameters = {k: v for k, v in kept.parameters.items()
                           if k in names}
        return kept

    def resource_type(self, declared_type: str,
                      resource_name: str | None = None,
                      ignore: str | None = None) -> str:
        """The type a declared type maps to through the registry; with
        ``ignore``, the facade a provider template stands in for: as in
        Heat, the first entry for the declared type whose whole chain of
        mappings does not end at that template, else the declared type
        itself (its plugin, if there is one)."""
        if ignore is not None:
            for target in self._mappings(declared_type, resource_name):
                found = self.resource_type(target, resource_name)
                if found != ignore:
                    return found
            return declared_type
        seen = set()
        current = declared_type
        while current not in seen:
            seen.add(current)
            mapped = next(self._mappings(current, resource_name), None)
            if mapped is None:
                return current
            current = mapped
        return current

    def _mappings(self, type_name: str, resource_name):
        """What the registry maps ``type_name`` to, most specific first.

        Heat tries a per-resource mapping, then top-level entries in name
        order (globs included)."""
        per_resource = self._registry['resources'].get(resource_name, {})
        if isinstance(per_resource.get(type_name), str):
            yield per_resource[type_name]
        for key in sorted(self._registry):
            target = self._registry[key]
            if key == 'resources' or not isinstance(target, str):
                continue
            if key == type_name:
                yield target
            elif key.endswith('*') and target != type_name and \
                    type_name.startswith(key[:-1]):
                if target.endswith('*'):
                    yield target[:-1] + type_name[len(key) - 1:]
                else:
                    yield target

    def restricted_actions(self, resource_name: str) -> set[str]:
        """``{'update', 'replace'}`` or a subset, from the registry."""
        return self._per_resource_set(resource_name, 'restricted_actions')

    def hooks(self, resource_name: str) -> set[str]:
        """The breakpoints set for ``resource_name`` (globs match)."""
        return self._per_resource_set(resource_name, 'hooks')

    def _per_resource_set(self, resource_name: str, key: str) -> set[str]:
        found = set()
        for pattern, settings in self._registry['resources'].items():
            if fnmatch.fnmatchcase(resource_name, pattern) and \
                    key in settings:
                value = settings[key]
                found |= {value} if isinstance(value, str) else set(value)
        return found


def _refuse_hooks(resources: Mapping, where: str) -> None:
    """Post-action hooks, at any level of nested per-resource settings."""
    for pattern, settings in sorted(resources.items()):
        hooks = settings.get('hooks') or ()
        hooks = [hooks] if isinstance(hooks, str) else list(hooks)
        refused = [h for h in hooks if h not in HONOURED_HOOKS]
        if refused:
            raise exceptions.NotSupported(
                message='%s.%s.hooks: Breakpoint hooks after an action are '
                        'not supported by this engine (resource "%s", hooks: '
                        '%s); %s are.' % (where, pattern, pattern,
                                          _listed(refused),
                                          ', '.join(HONOURED_HOOKS)))
        _refuse_hooks({k: v for k, v in settings.items()
                       if isinstance(v, Mapping)}, '%s.%s' % (where, pattern))


def _listed(value) -> str:
    items = [value] if isinstance(value, str) else value
    return ', '.join('"%s"' % item for item in items)


def _check_merge_strategies(strategies: Mapping) -> None:
    """Every strategy is one of Heat's (Heat would silently fall back to the
    file's default for an unknown one; a typo is refused here instead)."""
    for name, strategy in strategies.items():
        if strategy not in MERGE_STRATEGIES:
            raise exceptions.BadRequest(
                message='%s.%s: Unknown parameter merge strategy "%s"; '
                        'expected one of %s.' % (
                            PARAMETER_MERGE_STRATEGIES, name, strategy,
                            ', '.join(MERGE_STRATEGIES)))


def child_environment(parent: Mapping, parameters: Mapping,
                      resource_name: str,
                      template_name: str | None = None) -> dict:
    """The environment of the child stack of ``resource_name``.

    As Heat's ``get_child_environment``: the parent's registry, parameter
    defaults and event sinks; the child's own ``parameters``; the registry
    entries that made this resource the provider ``template_name`` removed
    (so a template standing in for a type may use that type itself); and
    as per-resource settings only those given under ``resource_name`` (or a
    glob matching it), which name the child's resources.
    """
    env = Environment(parent)
    registry = copy.deepcopy(env._registry)
    if template_name is not None:
        for key in [k for k, v in registry.items()
                    if k != 'resources' and template_name in (k, v)]:
            del registry[key]
    own = {}
    for pattern, settings in registry['resources'].items():
        if fnmatch.fnmatchcase(resource_name, pattern) and \
                pattern != resource_name:
            own.update(settings)
    own.update(registry['resources'].get(resource_name, {}))
    registry['resources'] = {k: v for k, v in own.items()
                             if isinstance(v, Mapping)}
    return {PARAMETERS: dict(parameters),
            PARAMETER_DEFAULTS: copy.deepcopy(env.parameter_defaults),
            RESOURCE_REGISTRY: registry,
            EVENT_SINKS: copy.deepcopy(env.event_sinks)}


def _mapping(env: Mapping, section: str) -> Mapping:
    value = env.get(section, {})
    if not isinstance(value, Mapping):
        raise _bad('environment section "%s" must be a map' % section)
    return value


def _load_registry(registry: dict, entries: Mapping) -> None:
    """Load registry ``entries`` over ``registry`` (in place)."""
    for key, value in entries.items():
        if key == 'resources':
            if not isinstance(value, Mapping):
                raise _bad('resource_registry "resources" must be a map')
            for name, settings in value.items():
                _load_resource_settings(registry['resources'], name, settings)
        else:
            _load_type_mapping(registry, key, value)


def _load_type_mapping(registry: dict, key, value) -> None:
    if value is None:
        _remove(registry, key)
    elif isinstance(value, str):
        registry[key] = value
    else:
        raise _bad('resource_registry entry "%s" must map to a resource '
                   'type name' % key)


def _remove(registry: dict, key: str) -> None:
    if key.endswith('*'):
        for name in [n for n in registry if n != 'resources' and
                     n.startswith(key[:-1])]:
            del registry[name]
    else:
        registry.pop(key, None)


def _load_resource_settings(resources: dict, name, settings) -> None:
    if settings is None:
        resources.pop(name, None)
        return
    if not isinstance(settings, Mapping):
        raise _bad('resource_registry "resources" entry "%s" must be a map'
                   % name)
    target = resources.setdefault(name, {})
    for key, value in settings.items():
        if key == 'restricted_actions':
            target[key] = _checked_list(value, RESTRICTED_ACTIONS,
                                        exceptions.InvalidRestrictedAction,
                                        'restricted_action')
        elif key == 'hooks':
            target[key] = _checked_list(value, HOOK_TYPES,
                                        exceptions.InvalidBreakPointHook,
                                        'hook')
        elif isinstance(value, Mapping):
            # The settings of a resource of this resource's child stack.
            _load_resource_settings(target, key, value)
        else:
            _load_type_mapping(target, key, value)


def _checked_list(value, allowed, error_class, what):
    items = [value] if isinstance(value, str) else value
    if not (isinstance(items, Sequence) and
            all(item in allowed for item in items)):
        if what == 'hook':
            message = ('Invalid hook type "%s" for resource breakpoint, '
                       'acceptable hook types are: %s' % (value, allowed))
        else:
            message = ('Invalid restricted_action type "%s" for resource, '
                       'acceptable restricted_action types are: %s'
                       % (value, allowed))
        raise error_class(message=message)
    return value
