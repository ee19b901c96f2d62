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

# A check of one resource's update policy against what its type carries
# out: (the definition, the policy's path for errors) -> None.
PolicyCheck = Callable[[ResourceDefinition, str], None]
# Whether a resource type (by name) can do something.
TypeCheck = Callable[[str], bool]

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
        NotSupported: the type has the attribute but this engine cannot
            give it (``has_attribute`` says why), prefixed likewise.
    """
    for ref in references:
        if ref.attr in (None, ALL_ATTRIBUTES):
            continue
        try:
            known = has_attribute(type_of(ref.resource), ref.attr)
        except exceptions.NotSupported as exc:
            feature = exc.kwargs.get('feature', exc.message)
            raise exceptions.NotSupported(
                feature='%s: %s' % (ref.path, feature)) from None
        if not known:
            wrong = exceptions.InvalidTemplateAttribute(
                resource=ref.resource, key=ref.attr)
            raise exceptions.StackValidationFailed(message=wrong.message,
                                                   path=[ref.path])


def check_policies(defn: ResourceDefinition, keys: TemplateKeys,
                   check_update_policy: PolicyCheck | None = None,
                   snapshot_deletion: TypeCheck | None = None) -> None:
    """The deletion and update policies are ones this engine carries out.

    ``keys``: the template format's spelling, for the paths of the errors;
    ``check_update_policy``: checks the policy against the type's (without
    it no type honours any update policy key); ``snapshot_deletion``: does
    the type honour a "Snapshot" deletion policy (without it none does).

    Raises:
        StackValidationFailed: with Heat's wording, for a "Snapshot"
            deletion policy or an update_policy key the type does not
            carry out (an ``Unknown Property``) or a bad policy value.
    """
    base = '%s.%s' % (keys.resources, defn.name)
    # As Heat: only a type with handle_snapshot_delete takes a snapshot
    # instead of deleting; for any other, "Snapshot" would just delete.
    if defn.deletion_policy == SNAPSHOT and not (
            snapshot_deletion is not None and snapshot_deletion(defn.type)):
        raise exceptions.StackValidationFailed(
            message='"%s" deletion policy not supported' % SNAPSHOT,
            path=['%s.%s' % (base, keys.deletion_policy)])
    policy = {} if defn.update_policy is None else defn.update_policy
    if not isinstance(policy, Mapping):
        raise exceptions.StackValidationFailed(
            message='Resource %s %s type must be object'
                    % (defn.name, keys.update_policy), path=[base])
    where = '%s.%s' % (base, keys.update_policy)
    if check_update_policy is not None:
        check_update_policy(defn, where)
        return
    for key in policy:
        # Heat's Properties error, whose prefix comes before the path.
        raise exceptions.StackValidationFailed(
            message='Property error: %s: Unknown Property %s' % (where, key))
