"""OS::Heat::ResourceChain: one member per type in ``resources``.

The members live in a child stack, named ``"0"``, ``"1"``... in the order
of ``resources``, each given ``resource_properties``; unless ``concurrent``
each depends on the one before.  Attributes: see ``group_template``.

Heat chains even a concurrent chain's members in steps of its number of
engine services (to bound its memory use); convergence creates the members
of a concurrent chain all at once.
"""

from convergence.resources import base
from convergence.resources import group_template as group
from convergence.resources import stack_resource
from convergence.resources.properties import BOOLEAN, LIST, MAP, Schema
from convergence.template.unresolved import contains_unresolved

RESOURCES, CONCURRENT, RESOURCE_PROPERTIES = (
    'resources', 'concurrent', 'resource_properties')


class ResourceChain(stack_resource.StackResource):
    """Creates one resource of each type listed, in order."""

    properties_schema = {
        RESOURCES: Schema(LIST, 'The list of resource types to create.',
                          required=True, update_allowed=True),
        CONCURRENT: Schema(BOOLEAN, 'If true, the resources are created '
                                    'concurrently; if false, each depends '
                                    'on the one before.', default=False),
        RESOURCE_PROPERTIES: Schema(MAP, 'Properties to pass to each '
                                         'resource of the chain.'),
    }
    attributes_schema = {
        group.REFS: 'A list of resource IDs for the resources in the chain.',
        group.ATTRIBUTES: 'A map of resource names to the specified '
                          'attribute of each individual resource.',
    }
    attribute_types = {group.REFS: 'list', group.ATTRIBUTES: 'map'}
    support_version = '6.0.0'

    @classmethod
    def child_template_for_validation(cls, properties: dict, files: dict,
                                      environment: dict) -> dict | None:
        """The child template of a chain with these (normalized)
        properties; None while a property is unresolved."""
        if contains_unresolved(properties):
            return None
        return group.template(_members(properties), {})

    def child_template(self) -> dict:
        members = _members(self.properties)
        outputs = group.outputs(self.context.referenced_attributes,
                                [name for name, _ in members],
                                self.attributes_schema, with_refs_map=False)
        return group.template(members, outputs)

    def plan_update(self, new_properties: dict, *,
                    failed: bool = False) -> base.UpdatePlan:
        """The child is updated in place unless ``concurrent`` changes,
        which replaces the chain (it is not update_allowed, as in Heat)."""
        diff = base.diff_properties(self.properties, new_properties)
        if self.resource_id is not None and CONCURRENT in diff:
            return self._replace(diff, self.name)
        return super().plan_update(new_properties, failed=failed)

    def _resolve_attribute(self, name: str) -> object:
        return group.attribute(self.outputs, name, self.name,
                               with_refs_map=False)


def _members(properties: dict) -> list[tuple[str, dict]]:
    types = properties[RESOURCES] or []
    shared = {k: v for k, v in (properties[RESOURCE_PROPERTIES] or {}).items()
              if v is not None}
    members = []
    for index, type_name in enumerate(types):
        after = [str(index - 1)] if index and not properties[CONCURRENT] \
            else None
        members.append((str(index), group.member(str(type_name), shared,
                                                 depends_on=after)))
    return members
