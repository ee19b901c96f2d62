"""What a resource definition may ask for only if something honours it.

Heat refuses these when it validates a template (``Resource.
validate_template`` and ``GetAtt.validate``), before anything is stored:
an attribute the target's type does not have, a deletion policy or an
update policy the type cannot carry out.  Without these checks such a
template would reach COMPLETE with the request silently ignored (a
misspelled attribute reading as null, a "Snapshot" that just deletes).
"""

from collections.abc import Callable, Iterable, Mapping

from convergence import exceptions
from convergence.template.function import Reference
from convergence.template.keys import TemplateKeys
from convergence.template.reference_functions import ALL_ATTRIBUTES
from convergence.template.resource_definition import (SNAPSHOT,
                                                      ResourceDefinition)

# The update policy keys Heat's types know and this engine refuses, with
# why: a group's child stack is converged in one operation per group
# action, never in batches.  No type here honours any update policy key.
_NO_BATCHES = ('is not supported: convergence updates the group\'s nested '
               'stack in one operation, not in batches')
UNHONOURED_POLICIES = {
    'OS::Heat::ResourceGroup': {'rolling_update': _NO_BATCHES,
                                'batch_create': _NO_BATCHES},
}

# (resource type, attribute name) -> whether get_attr may read it.
AttributeCheck = Callable[[str, str], bool]


def check_attributes(references: Iterable[Reference],
                     type_of: Callable[[str], str],
                     has_attribute: AttributeCheck) -> None:
    """Every ``get_attr`` names an attribute of its target's type.

    Only the attribute is checked, as Heat does: a path after it
    (``[r, attr, key, 0]``) depends on the value, and ``get_attr: [r]``
    reads whatever there is.

    Raises:
        StackValidationFailed: Heat's "The Referenced Attribute (r valu) is
            incorrect.", prefixed with where the get_attr is.
    """
    for ref in references:
        if ref.attr in (None, ALL_ATTRIBUTES):
            continue
        if not has_attribute(type_of(ref.resource), ref.attr):
            wrong = exceptions.InvalidTemplateAttribute(
                resource=ref.resource, key=ref.attr)
            raise exceptions.StackValidationFailed(message=wrong.message,
                                                   path=[ref.path])


def check_policies(defn: ResourceDefinition, keys: TemplateKeys) -> None:
    """The deletion and update policies are ones this engine carries out.

    ``keys``: the template format's spelling, for the paths of the errors.

    Raises:
        StackValidationFailed: with Heat's wording, for a "Snapshot"
            deletion policy or any update_policy key (no type here honours
            one; a key Heat's type knows is named as not supported).
    """
    base = '%s.%s' % (keys.resources, defn.name)
    # No resource type here takes snapshots: the engine has no snapshot action.
    if defn.deletion_policy == SNAPSHOT:
        raise exceptions.StackValidationFailed(
            message='"%s" deletion policy not supported' % SNAPSHOT,
            path=['%s.%s' % (base, keys.deletion_policy)])
    policy = {} if defn.update_policy is None else defn.update_policy
    if not isinstance(policy, Mapping):
        raise exceptions.StackValidationFailed(
            message='Resource %s %s type must be object'
                    % (defn.name, keys.update_policy), path=[base])
    for key in policy:
        why = UNHONOURED_POLICIES.get(defn.type, {}).get(key)
        if why is not None:
            raise exceptions.StackValidationFailed(
                message='%s.%s.%s %s' % (base, keys.update_policy, key, why))
        # Heat's Properties error, whose prefix comes before the path.
        raise exceptions.StackValidationFailed(
            message='Property error: %s.%s: Unknown Property %s'
                    % (base, keys.update_policy, key))
