"""Validating a stack and every nested stack below it, before anything is
stored.

Heat validates a nested stack resource's child when it validates the
parent (``StackResource.validate_nested_stack``), down to any depth: a
provider template missing from files, a type no level knows, a property
a provider has no parameter for, or a tree deeper than
``max_nested_stack_depth`` (which is how a template that nests itself,
directly or through others, is stopped) is a 400 for the request.  An
error below names where it is as Heat does: ``resources.<name><<file>>.``
before the child's own path (``nested_stack`` for a child template that is
built rather than read from files).

Any ``StackResource`` subclass joins in through
``child_template_for_validation``: the validator calls it once the
resource's properties are validated (UNRESOLVED where they depend on other
resources); None means the child cannot be known yet.
"""

from convergence import exceptions
from convergence import resources
from convergence import template as tmpl
from convergence.engine import facade
from convergence.engine import type_availability
from convergence.engine import validation_memo
from convergence.resources import properties as props_schema
from convergence.resources import template_resource
from convergence.template import environment

# Heat's default max_nested_stack_depth.
MAX_NESTED_STACK_DEPTH = 5
# What Heat puts in the path for a child template that is not a file.
BUILT_CHILD = 'nested_stack'
# The type name heading Heat's message for an error below a nested stack.
_PROPERTY_ERROR = 'Property error: '
# Heat's heading, as heat-api prints it, for a child's value of the wrong
# type (its separator doubled).
_CHILD_CONVERSION_ERROR = 'ValueError: '


def validate_tree(stack_def: tmpl.StackDefinition, max_resources: int,
                  max_depth: int, depth: int = 0, strict: bool = True,
                  strict_children: bool = True) -> None:
    """Validate ``stack_def`` (at ``depth``) and its children.

    Not ``strict_children``: the children are checked as the validate API
    checks a template (Heat's validate API does not look into them).

    A definition validated successfully before, with the same limits, for
    the same project and catalog, is not validated again
    (``validation_memo``): the identical children of a group or a tree,
    and a child's own validation when its parent's node creates it, which
    the parent's validation covered.

    Raises:
        ConvergenceError: a 400-class error saying what is wrong and where.
    """
    catalog = type_availability.children_services()
    keys = [validation_memo.fingerprint(stack_def, max_resources,
                                        max_depth - depth, strict,
                                        strict_children, c)
            for c in ([catalog, None] if catalog is not None else [None])]
    if validation_memo.seen(keys[0]):
        return
    _validate_tree(stack_def, max_resources, max_depth, depth, strict,
                   strict_children)
    # Valid with the catalog's checks is valid without them (a child's
    # validation when its parent's node creates it).
    for key in keys:
        validation_memo.remember(key)


def _validate_tree(stack_def: tmpl.StackDefinition, max_resources: int,
                   max_depth: int, depth: int, strict: bool,
                   strict_children: bool) -> None:
    if depth > 0:
        # The request checked its own stack's types already.
        type_availability.check_child(stack_def)
    files = stack_def.template.files
    defaults = frozenset(stack_def.environment.parameter_defaults)
    validated: dict[str, dict] = {}

    def validate_properties(defn, properties: dict) -> None:
        cls = plugin_class(defn.type, files, defaults)
        validated[defn.name] = props_schema.validate_properties(
            cls, defn.name, properties)
        facade.check(stack_def, defn, cls)

    stack_def.validate(type_exists=lambda t: _type_exists(t, files),
                       validate_properties=validate_properties,
                       strict=strict,
                       has_attribute=lambda t, a: _has_attribute(t, a, files),
                       check_update_policy=lambda d, where: _check_policy(
                           d, where, files),
                       snapshot_deletion=lambda t: _snapshot_deletion(t, files))
    if strict:
        _validate_in_cloud(stack_def, validated)
    count = len(stack_def.resource_names())
    if 0 <= max_resources < count:
        raise exceptions.RequestLimitExceeded(
            message='You have reached the maximum resources per stack, %d. '
                    'Please delete some resources.' % max_resources)
    for name in stack_def.resource_names():
        # Not strict, properties are not resolved: a child that they make
        # (a group's) is not known, one from a template file is checked as
        # the validate API checks a template.
        if strict or _child_from_file(stack_def, name):
            _validate_child(stack_def, name, validated.get(name, {}),
                            max_resources, max_depth, depth, strict,
                            strict_children)


def _validate_in_cloud(stack_def, validated: dict) -> None:
    """The checks a type makes with the requesting user's cloud
    (``validate_in_cloud(name, properties, files, environment)``, Heat's
    ``validate`` of OS::Heat::Stack asking the remote Heat); their errors
    are the request's as they are, without a path (Heat's)."""
    files = stack_def.template.files
    for name, properties in validated.items():
        cls = resources.get_class(stack_def.resource_definition(name).type,
                                  files)
        hook = getattr(cls, 'validate_in_cloud', None)
        if hook is not None:
            hook(name, properties, files,
                 stack_def.environment.user_dict())


def _snapshot_deletion(type_name: str, files: dict) -> bool:
    """Whether the type honours a "Snapshot" deletion policy (Heat's rule:
    it has ``handle_snapshot_delete``)."""
    try:
        cls = resources.get_class(type_name, files)
    except exceptions.ConvergenceError:
        return False
    return callable(getattr(cls, 'handle_snapshot_delete', None))


def plugin_class(type_name: str, files: dict, param_defaults=()) -> type:
    """The plugin class validation uses: for a provider template, its
    parameters without any default are required properties."""
    cls = resources.get_class(type_name, files)
    if issubclass(cls, template_resource.TemplateResource):
        return cls.with_parameter_defaults(frozenset(param_defaults))
    return cls


def _type_exists(type_name: str, files: dict) -> bool:
    try:
        resources.get_class(type_name, files)
    except exceptions.ResourceTypeNotImplemented:
        raise  # refused by name
    except exceptions.ResourceTypeNotFound:
        if template_resource.is_template_type(type_name):
            raise exceptions.StackValidationFailed(
                message=template_resource.missing_template(type_name))
        return False
    return True


def _has_attribute(type_name: str, attr: str, files: dict) -> bool:
    # A type that does not exist is reported as such by its own resource.
    try:
        return resources.get_class(type_name, files).has_attribute(attr)
    except exceptions.ResourceTypeNotFound:
        return True


def _child_from_file(stack_def, name: str) -> bool:
    cls = resources.get_class(stack_def.resource_definition(name).type,
                              stack_def.template.files)
    return issubclass(cls, template_resource.TemplateResource)


def _check_policy(defn, where: str, files: dict) -> None:
    """The update policy is one the type carries out, with valid values."""
    try:
        cls = resources.get_class(defn.type, files)
    except exceptions.ResourceTypeNotFound:
        cls = None  # reported as such by the type check
    props_schema.update_policy_values(cls, where, defn.update_policy)


def _validate_child(stack_def, name: str, properties: dict,
                    max_resources: int, max_depth: int, depth: int,
                    strict: bool, strict_children: bool) -> None:
    cls = resources.get_class(stack_def.resource_definition(name).type,
                              stack_def.template.files)
    child_template = _child_template(stack_def, cls, properties)
    if child_template is None:
        return
    where = '%s.%s<%s>' % (stack_def.template.keys.resources, name,
                           cls.registry_template() or BUILT_CHILD)
    try:
        if depth >= max_depth:
            raise exceptions.RequestLimitExceeded(
                message='Recursion depth exceeds %d.' % max_depth)
        child, complete = _child_of(stack_def, name, cls, properties,
                                    child_template)
        # Values that depend on the parent's resources are not known yet:
        # the child is then checked as the validate API checks a template.
        validate_tree(child, max_resources, max_depth, depth + 1,
                      strict=strict and strict_children and complete,
                      strict_children=strict_children)
    except exceptions.ConvergenceError as exc:
        raise nested_error(exc, where) from None


def child_definition(stack_def: tmpl.StackDefinition, name: str,
                     properties: dict) -> tmpl.StackDefinition | None:
    """The child stack definition the resource ``name`` would make with
    ``properties`` (UNRESOLVED where they depend on other resources);
    None when it makes no child, or one that cannot be known yet.

    Raises:
        ConvergenceError: the child's template or environment is invalid.
    """
    cls = resources.get_class(stack_def.resource_definition(name).type,
                              stack_def.template.files)
    child_template = _child_template(stack_def, cls, properties)
    if child_template is None:
        return None
    return _child_of(stack_def, name, cls, properties, child_template)[0]


def _child_template(stack_def, cls: type, properties: dict) -> dict | None:
    hook = getattr(cls, 'child_template_for_validation', None)
    if hook is None:
        return None
    return hook(properties, stack_def.template.files,
                stack_def.environment.user_dict())


def _child_of(stack_def, name: str, cls: type, properties: dict,
              child_template: dict) -> tuple[tmpl.StackDefinition, bool]:
    """The child's definition, and whether every parameter value the
    parent passes it is known."""
    files = stack_def.template.files
    params = cls.child_parameters_for_validation(properties)
    known = {k: v for k, v in params.items()
             if not tmpl.contains_unresolved(v)}
    child_env = environment.child_environment(
        stack_def.environment.user_dict(), known, name,
        cls.registry_template())
    identity = stack_def.identity
    child = tmpl.StackDefinition(
        tmpl.Template(child_template, files=files),
        tmpl.Environment(child_env), known,
        tmpl.StackIdentity(
            'None', '%s-%s' % (getattr(identity, 'stack_name', ''), name),
            getattr(identity, 'project_id', '')),
        stack_def.resource_definition(name).facade())
    return child, len(known) == len(params)


def nested_error(exc: exceptions.ConvergenceError, where: str
                 ) -> exceptions.StackValidationFailed:
    """``exc``, raised in a child, as its parent reports it (Heat's
    ``StackValidationFailed(error=exc, path=[...])``)."""
    error, rest = getattr(exc, 'nested_parts', (None, None))
    conversion = getattr(exc, 'conversion_error', None)
    if rest is None and conversion is not None:
        # Heat checks a child stack's values only where its plugin reads
        # them, so a value of the wrong type there is the read's
        # ValueError, naming the resource, not the property; and heat-api
        # prints the error and path it gets from heat-engine with doubled
        # separators (decision 33).
        error, rest = _CHILD_CONVERSION_ERROR, 'resources.%s: : %s' % (
            conversion)
    elif rest is None:
        if isinstance(exc, exceptions.StackValidationFailed):
            rest = exc.message
            if rest.startswith(_PROPERTY_ERROR):
                error, rest = _PROPERTY_ERROR[:-2], rest[len(_PROPERTY_ERROR):]
        else:
            error, rest = exc.error_type, exc.message
    joined = '%s.%s' % (where, rest) if _has_path(rest) else \
        '%s: %s' % (where, rest)
    wrapped = exceptions.StackValidationFailed(
        '%s: %s' % (error, joined) if error else joined)
    wrapped.nested_parts = (error, joined)
    return wrapped


def _has_path(message: str) -> bool:
    head = message.split(': ', 1)[0]
    return ': ' in message and ' ' not in head and head.split('.', 1)[0] in (
        'resources', 'Resources', 'outputs', 'Outputs', 'parameters',
        'Parameters')
