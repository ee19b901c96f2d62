"""Template + environment + parameters + identity: a stack's definition.

Everything here is resolvable without the stack's resources.  The engine
keeps one StackDefinition per stored template and process; parsing,
parameter coercion and condition evaluation happen once, lazily, and
``resource_definition(name).properties(resolver)`` then costs only the size
of that resource's own snippet.
"""

import functools
from collections.abc import Callable, Mapping

from convergence import exceptions
from convergence import graph
from convergence.template import (
    function, implicit_deps, limits, resource_checks, summary)
from convergence.template.conditions import Conditions
from convergence.template.environment import Environment
from convergence.template.parameters import Parameters, StackIdentity
from convergence.template.resource_definition import ResourceDefinition
from convergence.template.template import (Template, validate_output,
                                           validate_resource)

TypeExists = Callable[[str], bool]
PropertiesCheck = Callable[[ResourceDefinition, dict], None]


class _Output:
    """A parsed output: ``value`` is None when its condition is false."""

    def __init__(self, description, value, enabled: bool):
        self.description = description
        self.value = value
        self.enabled = enabled


class StackDefinition:
    """What a stack should be, given everything but its resources' state."""

    def __init__(self, template: Template, environment: Environment,
                 params: Mapping | None, identity: StackIdentity | None,
                 facade: Mapping | None = None):
        """``facade``: in a child stack, its parent resource as
        ``resource_facade`` reads it (metadata, deletion_policy,
        update_policy); None at the top of a tree."""
        self.template = template
        self.environment = environment
        self.identity = identity
        self.facade = facade
        # Like Heat, parameter values given with the request and those in
        # the environment's "parameters" section are the same thing.
        self.user_params = {**environment.parameters, **(params or {})}
        self._definitions: dict[str, ResourceDefinition] = {}
        self._outputs: dict[str, _Output] = {}

    # --- what is computed once ------------------------------------------

    @functools.cached_property
    def parameters(self) -> Parameters:
        return Parameters(self.template.t.get(self.template.keys.parameters),
                          self.template.spec, self.user_params,
                          self.environment.parameter_defaults, self.identity)

    @functools.cached_property
    def _ctx(self) -> function.ParseContext:
        spec = self.template.spec
        conditions = Conditions(self.template.t.get(spec.keys.conditions)
                                if spec.has_conditions else None)
        ctx = function.ParseContext(spec, spec.functions, self.parameters,
                                    conditions, self.template.files,
                                    frozenset(self._snippets),
                                    self.template.section('mappings'),
                                    self.facade)
        conditions.bind(ctx.for_conditions())
        return ctx

    @property
    def conditions(self) -> Conditions:
        return self._ctx.conditions

    @functools.cached_property
    def _snippets(self) -> Mapping:
        return self.template.section('resources')

    @functools.cached_property
    def _enabled(self) -> list[str]:
        return [name for name, snippet in self._snippets.items()
                if self._condition_holds('resources', name, snippet)]

    def _condition_holds(self, section: str, name, snippet) -> bool:
        keys = self.template.keys
        if not isinstance(snippet, Mapping) or keys.condition not in snippet:
            return True
        path = '%s.%s.%s' % (getattr(keys, section), name, keys.condition)
        parsed = function.parse(snippet[keys.condition], path,
                                self._ctx.for_conditions())
        try:
            return self.conditions.is_enabled(
                function.static_value(parsed, 'A condition'))
        except ValueError as exc:
            raise exceptions.StackValidationFailed(message=str(exc),
                                                   path=[path]) from None

    # --- resources -------------------------------------------------------

    def resource_names(self) -> list[str]:
        """Resources whose condition holds, in template order."""
        return list(self._enabled)

    def resource_definition(self, name: str) -> ResourceDefinition:
        """The (cached) definition of an enabled resource."""
        defn = self._definitions.get(name)
        if defn is None:
            if name not in self._enabled_set:
                raise exceptions.ResourceNotFound(
                    resource_name=name,
                    stack_name=getattr(self.identity, 'stack_name', ''))
            defn = self._build(name, self._snippets[name])
            self._definitions[name] = defn
        return defn

    @functools.cached_property
    def _enabled_set(self) -> frozenset:
        return frozenset(self._enabled)

    def _build(self, name: str, snippet) -> ResourceDefinition:
        validate_resource(name, snippet, self.template.spec)
        declared = snippet[self.template.keys.type]
        return ResourceDefinition(
            name, snippet, declared,
            self.environment.resource_type(declared, name), self._ctx,
            self.environment.restricted_actions(name),
            self._enabled_set, self._ctx.resource_names)

    @functools.cached_property
    def _dependencies(self) -> dict[str, set[str]]:
        deps = {name: self.resource_definition(name).required_names()
                for name in self._enabled}
        defns = [self.resource_definition(name) for name in self._enabled]
        extra = implicit_deps.implicit(
            {d.name: d.type for d in defns},
            {d.name: d.snippet.get(self.template.keys.properties) or {}
             for d in defns}, deps)
        for name, required in extra.items():
            deps[name] = deps[name] | required
        edges = [(name, req) for name, reqs in deps.items() for req in reqs]
        edges += [(name, None) for name, reqs in deps.items() if not reqs]
        graph.Graph(edges).topological_order()   # raises on a cycle
        return deps

    def dependencies(self) -> dict[str, set[str]]:
        """Each enabled resource -> the enabled resources it requires.

        Raises CircularDependencyException naming a cycle.
        """
        return {name: set(reqs) for name, reqs in self._dependencies.items()}

    @functools.cached_property
    def _referenced_attributes(self) -> dict[str, set[str]]:
        refs = [ref for name in self._enabled
                for ref in self.resource_definition(name).references()]
        for key in self.output_names():
            output = self._output(key)
            if output.enabled:
                refs.extend(function.references(output.value))
        found: dict[str, set[str]] = {}
        for ref in refs:
            if ref.attr is not None:
                found.setdefault(ref.resource, set()).add(ref.attr)
        return found

    def referenced_attributes(self, name: str) -> set[str]:
        """Attribute names of ``name`` that other resources or outputs read
        with get_attr; ``'*'`` stands for "all attributes"
        (``get_attr: [name]``)."""
        return set(self._referenced_attributes.get(name, ()))

    # --- outputs ---------------------------------------------------------

    def output_names(self) -> list[str]:
        """Every output, including those whose condition is false (Heat
        shows them with a null value)."""
        return list(self.template.section('outputs'))

    def _output(self, key: str) -> _Output:
        output = self._outputs.get(key)
        if output is None:
            output = self._build_output(key)
            self._outputs[key] = output
        return output

    def _build_output(self, key: str) -> _Output:
        snippets = self.template.section('outputs')
        if key not in snippets:
            raise exceptions.NotFound(
                message='Specified output key %s not found.' % key)
        snippet, keys = snippets[key], self.template.keys
        validate_output(key, snippet, self.template.spec)
        description = snippet.get(keys.description)
        if not self._condition_holds('outputs', key, snippet):
            return _Output(description, None, False)
        value = function.parse(snippet[keys.value], self._value_path(key),
                               self._ctx)
        for ref in function.references(value):
            if ref.resource not in self._enabled_set:
                raise exceptions.InvalidTemplateReference(
                    resource=ref.resource, key=ref.path)
        return _Output(description, value, True)

    def output_resources(self, keys) -> set[str]:
        """The resources whose data the enabled outputs ``keys`` read."""
        names = set()
        for key in keys:
            output = self._output(key)
            if output.enabled:
                names.update(ref.resource
                             for ref in function.references(output.value))
        return names

    def output_description(self, key: str) -> str:
        description = self._output(key).description
        return 'No description given' if description is None \
            else str(description)

    def resolve_output(self, key: str, resolver) -> object:
        """The output's value (None if its condition is false).

        Raises a ConvergenceError saying what failed and where.
        """
        output = self._output(key)
        if not output.enabled:
            return None
        return limits.check(function.resolve_value(output.value, resolver),
                            self._value_path(key))

    def _value_path(self, key: str) -> str:
        keys = self.template.keys
        return '%s.%s.%s' % (keys.outputs, key, keys.value)

    # --- validation and views --------------------------------------------

    def validate(self, type_exists: TypeExists | None = None,
                 validate_properties: PropertiesCheck | None = None,
                 strict: bool = True,
                 has_attribute: resource_checks.AttributeCheck | None = None,
                 check_update_policy: resource_checks.PolicyCheck | None = None,
                 snapshot_deletion: resource_checks.TypeCheck | None = None
                 ) -> None:
        """Check everything that can be checked without resources.

        With ``strict`` false (the validate API), parameter values are not
        required or checked and properties are not resolved.  Without
        ``has_attribute`` any attribute name is taken for valid; without
        ``check_update_policy`` any update policy key is refused; without
        ``snapshot_deletion`` (does a type honour the "Snapshot" deletion
        policy) no type does.
        """
        self.environment.check_honoured()
        self.template.validate()
        self.parameters.validate(strict)
        self.conditions.validate()
        duplicates = set(self.parameters.schemas) & self._enabled_set
        if duplicates:
            raise exceptions.StackValidationFailed(
                message='Duplicate names %s' % duplicates)
        for name in self._enabled:
            self._validate_resource(name, type_exists, validate_properties,
                                    strict, has_attribute,
                                    check_update_policy, snapshot_deletion)
        self.dependencies()
        for key in self.output_names():
            self._check_output_attributes(key, has_attribute)
            self._check_output_size(key)

    def _type_of(self, name: str) -> str:
        return self.resource_definition(name).type

    def _check_output_attributes(self, key: str, has_attribute) -> None:
        output = self._output(key)
        if output.enabled and has_attribute is not None:
            resource_checks.check_attributes(
                function.references(output.value), self._type_of,
                has_attribute)

    def _check_output_size(self, key: str) -> None:
        """Refuse an output too large already without resource data.

        Other errors are left for the output to show when it is read, as
        Heat shows them (``output_error``).
        """
        self._output(key)  # a malformed output is the template's error
        try:
            self.resolve_output(key, None)
        except exceptions.RequestLimitExceeded:
            raise
        except exceptions.ConvergenceError:
            pass

    def _validate_resource(self, name, type_exists, validate_properties,
                           strict, has_attribute,
                           check_update_policy=None,
                           snapshot_deletion=None) -> None:
        defn = self.resource_definition(name)
        _check_type(defn, type_exists)
        if has_attribute is not None:
            resource_checks.check_attributes(defn.references(), self._type_of,
                                             has_attribute)
        resource_checks.check_policies(defn, self.template.keys,
                                       check_update_policy, snapshot_deletion)
        # An external resource's properties are not used: not validated.
        if strict and defn.external_id is None:
            props = defn.properties()
            defn.resolved_metadata()
            if validate_properties is not None:
                validate_properties(defn, props)

    def parameters_for_display(self) -> dict[str, str]:
        """Parameter values as strings, hidden ones masked, pseudo included."""
        return self.parameters.display()

    def environment_for_display(self) -> dict:
        """The environment, hidden parameter values masked."""
        return summary.masked_environment(self)

    def validation_summary(self, nested: dict | None = None) -> dict:
        """The body of a successful ``POST /validate``; ``nested``: the
        ``NestedParameters`` (``show_nested``), if asked for."""
        return summary.validation_summary(self, nested)

    def changed_immutable_parameters(self, new: 'StackDefinition'
                                     ) -> list[str]:
        """Immutable parameters (per ``new``) whose value ``new`` changes."""
        return summary.changed_immutable(self, new)


def _check_type(defn: ResourceDefinition, type_exists) -> None:
    if type_exists is None:
        return
    try:
        exists = type_exists(defn.type)
    except exceptions.ResourceTypeNotFound:
        raise  # one Heat has and we do not build: as unprefixed
    except exceptions.StackValidationFailed as exc:
        # A type that exists in principle but cannot be used here (a
        # provider template missing from files): say which resource.
        raise exceptions.StackValidationFailed(
            message=exc.message, path=[defn.path]) from None
    if not exists:
        # Heat reports this as a plain validation failure, unprefixed.
        raise exceptions.StackValidationFailed(
            'The Resource Type (%s) could not be found.' % defn.type)
