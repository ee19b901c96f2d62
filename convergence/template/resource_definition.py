"""One resource of a stack definition, parsed once and resolved per action.

Building a ResourceDefinition parses its snippet against the stack's
parameters and conditions and checks what it refers to.  ``properties()``
then only walks this resource's own parsed snippet.
"""

from collections.abc import Mapping

from convergence import exceptions
from convergence.template import function, limits
from convergence.template.unresolved import UNRESOLVED

# What happens to a resource's physical resource when its row is deleted.
DELETION_POLICIES = (DELETE, RETAIN, SNAPSHOT) = ('Delete', 'Retain',
                                                  'Snapshot')


class ResourceDefinition:
    """The resolved-as-far-as-possible definition of one resource."""

    def __init__(self, name: str, snippet: Mapping, declared_type: str,
                 effective_type: str, ctx, restricted_actions: set[str],
                 enabled: set[str], all_names: set[str]):
        self.name = name
        self.snippet = snippet
        self.declared_type = declared_type
        self.type = effective_type
        # Keys as this template's format spells them (HOT or CFN).
        self._keys = keys = ctx.spec.keys
        self.description = snippet.get(keys.description) or ''
        self.restricted_actions = set(restricted_actions)
        depends = snippet.get(keys.depends_on) or []
        self.depends_on = [depends] if isinstance(depends, str) \
            else list(depends)
        # Where this resource is, as errors name it.
        self.path = '%s.%s' % (keys.resources, name)
        base = self.path + '.'
        self._properties = function.parse(snippet.get(keys.properties) or {},
                                          base + keys.properties, ctx)
        self._metadata = function.parse(snippet.get(keys.metadata) or {},
                                        base + keys.metadata, ctx)
        self.update_policy = _resolved_now(
            snippet.get(keys.update_policy) or {}, base + keys.update_policy,
            ctx)
        self.deletion_policy = _deletion_policy(
            snippet.get(keys.deletion_policy), base + keys.deletion_policy,
            ctx)
        self.external_id = None if keys.external_id is None else _static(
            snippet.get(keys.external_id), base + keys.external_id, ctx)
        self._required = self._find_required(enabled, all_names)

    @property
    def metadata(self) -> Mapping:
        """The metadata snippet as written in the template."""
        return self.snippet.get(self._keys.metadata) or {}

    def properties(self, resolver=None) -> dict:
        """The properties with functions resolved.

        ``get_resource``/``get_attr`` go through ``resolver``; without one
        they are UNRESOLVED.  Cost is proportional to this resource's own
        properties snippet.
        """
        return self._as_map(self._properties, resolver,
                            self._keys.properties)

    def resolved_metadata(self, resolver=None) -> dict:
        """The metadata with functions resolved, as for ``properties``."""
        return self._as_map(self._metadata, resolver, self._keys.metadata)

    def facade(self, resolver=None) -> dict:
        """What ``resource_facade`` reads of this resource in its child
        stack: metadata resolved as for ``properties``, the deletion policy
        and the update policy (resource references in it stay UNRESOLVED).
        """
        return {'metadata': self.resolved_metadata(resolver),
                'deletion_policy': self.deletion_policy,
                'update_policy': self.update_policy}

    def _as_map(self, parsed, resolver, section: str) -> dict:
        path = '%s.%s.%s' % (self._keys.resources, self.name, section)
        try:
            value = limits.check(function.resolve_value(parsed, resolver),
                                 path)
        except exceptions.UserParameterMissing as exc:
            if section != self._keys.properties:
                raise
            # Heat's Properties error, its empty path parts included.
            raise exceptions.StackValidationFailed(
                message='Property error: : %s: : %s' % (
                    exc.kwargs.get('where') or path, exc.message)) from None
        if value is None:
            return {}
        if not isinstance(value, Mapping) and value is not UNRESOLVED:
            raise exceptions.StackValidationFailed(
                message='Resource %s %s type must be object'
                        % (self.name, section), path=[path])
        return value

    def required_names(self) -> set[str]:
        """Enabled resources this one needs first: depends_on plus every
        get_resource/get_attr in its properties and metadata."""
        return set(self._required)

    def _find_required(self, enabled: set, all_names: set) -> set[str]:
        if self.external_id is not None and self.depends_on:
            raise exceptions.StackValidationFailed(
                message='Invalid dependency with external %s resource: %s'
                        % (self.type, self.external_id),
                path=['%s.%s' % (self._keys.resources, self.name)])
        required = set()
        for ref in self.references():
            if ref.resource not in enabled:
                raise exceptions.InvalidTemplateReference(
                    resource=ref.resource, key=ref.path)
            required.add(ref.resource)
        for name in self.depends_on:
            if name in enabled:
                required.add(name)
            elif name not in all_names:
                raise exceptions.InvalidTemplateReference(resource=name,
                                                          key=self.name)
        # Like Heat: an external resource is only observed, never ordered.
        return set() if self.external_id is not None else required

    def references(self):
        """Every get_resource/get_attr use in properties and metadata."""
        yield from function.references(self._properties)
        yield from function.references(self._metadata)

    def __repr__(self):
        return '<ResourceDefinition %s (%s)>' % (self.name, self.type)


def _resolved_now(snippet, path: str, ctx):
    """A field resolved once; resource references in it stay UNRESOLVED."""
    return function.resolve_value(function.parse(snippet, path, ctx))


def _static(snippet, path: str, ctx):
    """A field that may use parameters but not resources."""
    if snippet is None:
        return None
    parsed = function.parse(snippet, path, ctx)
    try:
        return function.static_value(parsed, path)
    except ValueError as exc:
        raise exceptions.StackValidationFailed(message=str(exc)) from None


def _deletion_policy(snippet, path: str, ctx) -> str:
    value = _static(snippet, path, ctx)
    if value is None:
        return DELETE
    policies = ctx.spec.deletion_policies
    if value not in policies:
        raise exceptions.StackValidationFailed(
            message='Invalid deletion policy "%s"' % (value,), path=[path])
    return policies[value]
