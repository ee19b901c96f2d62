"""OS::Heat::ResourceGroup: ``count`` identically configured members.

The members live in a child stack, named ``"0"``, ``"1"``... in order,
skipping every name removal policies ever removed (Heat's "name
blacklist", kept in the row's data: a removed name is never reused unless
``removal_policies_mode`` is ``update``).  Scaling down removes the highest
names; ``removal_policies`` remove the members named (or whose reference
ids are given) and their places are filled by new names.  ``index_var``
(``%index%``) in the member properties becomes each member's name.
Attributes: see ``group_template``; ``removed_rsrc_list`` is the removed
names.

Update policies: ``batch_create`` creates the members ``max_batch_size``
at a time; ``rolling_update``, when an update changes ``resource_def``,
changes them so, keeping ``min_in_service`` members in service; both pause
``pause_time`` seconds between batches.  The plan is ``group_batches``'s;
the engine runs it as one child operation per batch
(``convergence/nested/batches``).
"""

import collections.abc
import itertools

from convergence.resources import base
from convergence.resources import constraints as constr
from convergence.resources import group_batches
from convergence.resources import group_template as group
from convergence.resources import stack_resource
from convergence.resources.properties import (INTEGER, LIST, MAP, NUMBER,
                                              STRING, Schema)
from convergence.template.unresolved import contains_unresolved

COUNT, INDEX_VAR, RESOURCE_DEF, REMOVAL_POLICIES, REMOVAL_POLICIES_MODE = (
    'count', 'index_var', 'resource_def', 'removal_policies',
    'removal_policies_mode')
DEF_TYPE, DEF_PROPERTIES, DEF_METADATA = 'type', 'properties', 'metadata'
RESOURCE_LIST = 'resource_list'
MODES = (APPEND, UPDATE) = ('append', 'update')
REMOVED_RSRC_LIST = 'removed_rsrc_list'
POLICIES = (ROLLING_UPDATE, BATCH_CREATE) = ('rolling_update', 'batch_create')
MIN_IN_SERVICE, MAX_BATCH_SIZE, PAUSE_TIME = (
    'min_in_service', 'max_batch_size', 'pause_time')

# Row data: the removed names (comma-separated, as Heat stores them), the
# members of the child template last built and the child's refs_map (to
# find a member by the reference id a removal policy gives).
SKIPLIST_KEY, MEMBERS_KEY, REFS_KEY = 'name_blacklist', 'members', 'refs_map'

_RESOURCE_DEF_SCHEMA = {
    DEF_TYPE: Schema(STRING, 'The type of the resources in the group.',
                     required=True),
    DEF_PROPERTIES: Schema(MAP, 'Property values for the resources in the '
                                'group.'),
    DEF_METADATA: Schema(MAP, 'Supplied metadata for the resources in the '
                              'group.'),
}
_REMOVAL_POLICY_SCHEMA = Schema(MAP, schema={
    RESOURCE_LIST: Schema(LIST, 'Names or reference ids of the members to '
                                'remove; a removed name is never reused.',
                          default=[])})


def batch_size_schema(what: str) -> Schema:
    return Schema(INTEGER, 'The maximum number of resources to %s at once.'
                  % what, default=1, constraints=[constr.Range(min=1)])


def pause_schema(what: str) -> Schema:
    return Schema(NUMBER, 'The number of seconds to wait between batches%s.'
                  % what, default=0, constraints=[constr.Range(min=0)])


_ROLLING_UPDATE_SCHEMA = {
    MIN_IN_SERVICE: Schema(INTEGER, 'The minimum number of resources in '
                                    'service while rolling updates are '
                                    'being executed.', default=0,
                           constraints=[constr.Range(min=0)]),
    MAX_BATCH_SIZE: batch_size_schema('replace'),
    PAUSE_TIME: pause_schema(' of updates'),
}
BATCH_CREATE_SCHEMA = {MAX_BATCH_SIZE: batch_size_schema('create'),
                       PAUSE_TIME: pause_schema('')}


class ResourceGroup(stack_resource.StackResource):
    """Creates one or more identically configured nested resources."""

    properties_schema = {
        COUNT: Schema(INTEGER, 'The number of resources to create.',
                      default=1, update_allowed=True,
                      constraints=[constr.Range(min=0)]),
        INDEX_VAR: Schema(STRING, 'Replaced by the index of each member in '
                                  'its properties.', default='%index%',
                          constraints=[constr.Length(min=3)]),
        RESOURCE_DEF: Schema(MAP, 'Resource definition of the members.',
                             required=True, update_allowed=True,
                             schema=_RESOURCE_DEF_SCHEMA),
        REMOVAL_POLICIES: Schema(LIST, 'Policies for removal of resources '
                                       'on update.', default=[],
                                 update_allowed=True,
                                 schema=_REMOVAL_POLICY_SCHEMA),
        REMOVAL_POLICIES_MODE: Schema(
            STRING, 'How changes to removal_policies apply: "append" adds '
                    'to the removed names, "update" replaces them.',
            default=APPEND, update_allowed=True,
            constraints=[constr.AllowedValues(list(MODES))]),
    }
    attributes_schema = {
        group.REFS: 'A list of resource IDs for the resources in the group.',
        group.REFS_MAP: 'A map of resource names to IDs for the resources '
                        'in the group.',
        group.ATTRIBUTES: 'A map of resource names to the specified '
                          'attribute of each individual resource.',
        REMOVED_RSRC_LIST: 'A list of removed resource names.',
    }
    attribute_types = {group.REFS: 'list', group.REFS_MAP: 'map',
                       group.ATTRIBUTES: 'map', REMOVED_RSRC_LIST: 'list'}
    support_version = '2014.1'
    update_policy_schema = {
        ROLLING_UPDATE: Schema(MAP, schema=_ROLLING_UPDATE_SCHEMA),
        BATCH_CREATE: Schema(MAP, schema=BATCH_CREATE_SCHEMA),
    }

    @classmethod
    def child_template_for_validation(cls, properties: dict, files: dict,
                                      environment: dict) -> dict | None:
        """The child template to validate a group with these (normalized)
        properties: its first member only, as Heat validates it; no member
        when ``count`` is 0.  None while a property is unresolved."""
        if contains_unresolved(properties):
            return None
        skiplist = removal_names(properties, set(), set(), {}, created=False)
        names = member_names(min(properties[COUNT], 1), skiplist)
        return group.template(_members(properties, names), {})

    # --- the child ---

    def child_template(self) -> dict:
        """The members the properties ask for now, remembering the removed
        names and the member names in the row's data."""
        skiplist = self._update_skiplist()
        names = member_names(self.properties[COUNT], skiplist)
        self.data_set(MEMBERS_KEY, names)
        outputs = group.outputs(self.context.referenced_attributes, names,
                                self.attributes_schema, with_refs_map=True)
        return group.template(_members(self.properties, names), outputs)

    # --- batches (update policies) ---

    def batch_policy(self, action: str, update_policy: dict,
                     old_properties: dict) -> group_batches.Policy | None:
        """How this ``action`` goes in batches; None for one operation.

        ``update_policy``: the validated policy; ``old_properties``: the
        row's properties before an update.  As Heat: ``batch_create`` for
        a create of a non-empty group, ``rolling_update`` for an update
        that changes ``resource_def``.
        """
        if action == base.CREATE:
            create = update_policy.get(BATCH_CREATE)
            if create and self.properties[COUNT]:
                return group_batches.Policy(create[MAX_BATCH_SIZE], 0,
                                            create[PAUSE_TIME])
            return None
        rolling = update_policy.get(ROLLING_UPDATE)
        if rolling and (old_properties or {}).get(RESOURCE_DEF) != (
                self.properties[RESOURCE_DEF]):
            return group_batches.Policy(rolling[MAX_BATCH_SIZE],
                                        rolling[MIN_IN_SERVICE],
                                        rolling[PAUSE_TIME])
        return None

    def batches(self, policy: group_batches.Policy,
                members: list[group_batches.Member]) -> list[tuple[int, int]]:
        """The batches from the child's ``members`` to the target size.

        The group's size now counts failed members but not members whose
        name was removed (Heat's ``_replace``)."""
        skiplist = self._update_skiplist()
        size = len(members) - sum(1 for m in members
                                  if not m.failed and m.name in skiplist)
        return group_batches.batches(self.properties[COUNT], size,
                                     policy.max_batch_size,
                                     policy.min_in_service)

    def batch_template(self, size: int, changed: int,
                       members: list[group_batches.Member]) -> dict:
        """The child template of one batch: ``size`` members, up to
        ``changed`` of them created or changed to ``resource_def``.

        ``members``: the child's members now, failed first, then oldest
        first (Heat's order); failed and removed ones are replaced."""
        skiplist = self._update_skiplist()
        names = member_names(size, skiplist)
        valid = [(m.name, m.definition) for m in members
                 if not m.failed and m.name not in skiplist]
        chosen = group_batches.members(
            valid, names, self.properties[COUNT], size, changed,
            lambda name: _members(self.properties, [name])[0][1])
        ordered = sorted((name for name, _ in chosen), key=name_order)
        self.data_set(MEMBERS_KEY, ordered)
        outputs = group.outputs(self.context.referenced_attributes, ordered,
                                self.attributes_schema, with_refs_map=True)
        return group.template(chosen, outputs)

    def _skiplist(self) -> set[str]:
        stored = self.data_get(SKIPLIST_KEY)
        return set(stored.split(',')) if stored else set()

    def _update_skiplist(self) -> set[str]:
        current = self._skiplist()
        kept = set() if self.properties[REMOVAL_POLICIES_MODE] == UPDATE \
            else current
        updated = kept | removal_names(
            self.properties, current, set(self.data_get(MEMBERS_KEY) or ()),
            self.data_get(REFS_KEY) or {}, created=self.resource_id is not None)
        if updated != current:
            self.data_set(SKIPLIST_KEY, ','.join(sorted(updated)))
        return updated

    # --- update decision ---

    def plan_update(self, new_properties: dict, *,
                    failed: bool = False) -> base.UpdatePlan:
        """The child is updated in place unless ``index_var`` changes, which
        replaces the group (it is not update_allowed, as in Heat)."""
        diff = base.diff_properties(self.properties, new_properties)
        if self.resource_id is not None and INDEX_VAR in diff:
            return self._replace(diff, self.name)
        return super().plan_update(new_properties, failed=failed)

    # --- attributes ---

    @property
    def outputs(self) -> dict:
        """The child's outputs.  Once the child converged the engine reads
        the reference id and attributes and then stores the row's data, so
        the members' reference ids are remembered here for a later removal
        policy that names one."""
        found = super().outputs
        refs = found.get(group.REFS_MAP)
        if refs is not None and refs != self.data_get(REFS_KEY):
            self.data_set(REFS_KEY, refs)
        return found

    def _resolve_attribute(self, name: str) -> object:
        if name == REMOVED_RSRC_LIST:
            return sorted(self._skiplist())
        return group.attribute(self.outputs, name, self.name,
                               with_refs_map=True)


def member_names(count: int, skiplist: set[str]) -> list[str]:
    """The first ``count`` of "0", "1", ... not in ``skiplist``."""
    candidates = (str(i) for i in itertools.count())
    return list(itertools.islice(
        (n for n in candidates if n not in skiplist), count))


def name_order(name: str) -> tuple:
    """Members in the order of their names: "2" before "10"."""
    return (0, int(name)) if name.isdigit() else (1, name)


def removal_names(properties: dict, skiplist: set[str], members: set[str],
                  refs_map: dict, *, created: bool) -> set[str]:
    """The member names the removal policies name (Heat's rules).

    Before the group exists every name given is one; after, a name counts
    when it is already removed or is a member, and any other string is
    looked up as a member's reference id in ``refs_map``.
    """
    found = set()
    for policy in properties.get(REMOVAL_POLICIES) or ():
        for given in (policy or {}).get(RESOURCE_LIST) or ():
            name = str(given)
            if not created or name in skiplist or name in members:
                found.add(name)
            elif isinstance(given, str):
                found.update(n for n, ref in refs_map.items() if ref == given)
    return found


def _members(properties: dict, names: list[str]) -> list[tuple[str, dict]]:
    definition = properties[RESOURCE_DEF]
    own = {k: v for k, v in (definition.get(DEF_PROPERTIES) or {}).items()
           if v is not None}
    index_var = properties[INDEX_VAR]
    return [(name, group.member(definition[DEF_TYPE],
                                _with_index(own, index_var, name),
                                definition.get(DEF_METADATA)))
            for name in names]


def _with_index(value, index_var: str, name: str):
    """``value`` with ``index_var`` replaced by ``name`` in every string."""
    if isinstance(value, str):
        return value.replace(index_var, name)
    if isinstance(value, collections.abc.Mapping):
        return {k: _with_index(v, index_var, name) for k, v in value.items()}
    if isinstance(value, collections.abc.Sequence):
        return [_with_index(v, index_var, name) for v in value]
    return value
