"""OS::Heat::SoftwareDeploymentGroup and OS::Heat::StructuredDeploymentGroup.

A group of deployments of one config, one per server of the ``servers``
map, as a child stack (``stack_resource``): member ``<name>`` deploys to
``servers[<name>]`` with the group's other properties.  Its attributes are
maps of member name to the member's attribute: ``deploy_stdouts``,
``deploy_stderrs``, ``deploy_status_codes``, and any attribute a
deployment has (a config's output) under its own name, as Heat's.

The deprecated plural names Heat 27 keeps as hidden aliases of these,
``OS::Heat::SoftwareDeployments`` and ``OS::Heat::StructuredDeployments``,
are registered too.

Update policies, as Heat's (its ResourceGroup's, with no member ever kept
in service): ``batch_create`` creates the deployments ``max_batch_size``
at a time, ``rolling_update`` changes them so on any change of the
group's properties, the servers map's later entries first; both pause
``pause_time`` seconds between batches (``nested/batches``).
"""

from convergence.resources import base
from convergence.resources import constraints as constr
from convergence.resources import group_batches
from convergence.resources import group_template as group
from convergence.resources import resource_group as rg
from convergence.resources import software_deployment as sd
from convergence.resources import stack_resource
from convergence.resources.properties import INTEGER, MAP, Schema
from convergence.template.reference_functions import ALL_ATTRIBUTES
from convergence.template.unresolved import contains_unresolved

SERVERS = 'servers'
# Group attribute -> the members' attribute it maps.
MEMBER_ATTRIBUTES = {'deploy_stdouts': 'deploy_stdout',
                     'deploy_stderrs': 'deploy_stderr',
                     'deploy_status_codes': 'deploy_status_code'}


class SoftwareDeploymentGroup(stack_resource.StackResource):
    """Deploys one config to each server of a map."""

    member_type = 'OS::Heat::SoftwareDeployment'
    member_class = sd.SoftwareDeployment
    support_version = '5.0.0'
    properties_schema = dict(
        {SERVERS: Schema(MAP, 'A map of names and server IDs to apply '
                         'configuration to.  The name is arbitrary and is '
                         'used as the Heat resource name for the '
                         'corresponding deployment.', required=True,
                         update_allowed=True)},
        **{k: v for k, v in sd.SoftwareDeployment.properties_schema.items()
           if k != sd.SERVER})
    attributes_schema = {
        'deploy_stdouts': 'A map of Nova names and captured stdouts from the '
                          'configuration execution to each server.',
        'deploy_stderrs': 'A map of Nova names and captured stderrs from the '
                          'configuration execution to each server.',
        'deploy_status_codes': 'A map of Nova names and returned status code '
                               'from the configuration execution.',
    }
    attribute_types = {name: 'map' for name in attributes_schema}
    update_policy_schema = {
        rg.ROLLING_UPDATE: Schema(MAP, schema={
            rg.MAX_BATCH_SIZE: Schema(
                INTEGER, 'The maximum number of deployments to replace at '
                'once.', default=1, constraints=[constr.Range(min=1)]),
            rg.PAUSE_TIME: rg.pause_schema(' of updates')}),
        rg.BATCH_CREATE: Schema(MAP, schema=rg.BATCH_CREATE_SCHEMA),
    }

    @classmethod
    def check_properties(cls, resource_name: str, props: dict) -> None:
        cls.member_class.check_properties(resource_name, props)

    @classmethod
    def child_template_for_validation(cls, properties: dict, files: dict,
                                      environment: dict) -> dict | None:
        if contains_unresolved(properties):
            return None
        return group.template(cls._members(properties), {})

    @classmethod
    def _members(cls, properties: dict) -> list[tuple[str, dict]]:
        shared = {k: v for k, v in properties.items()
                  if k != SERVERS and v is not None}
        return [(name, group.member(cls.member_type,
                                    dict(shared, **{sd.SERVER: server})))
                for name, server in (properties[SERVERS] or {}).items()]

    def child_template(self) -> dict:
        return self._template(self._members(self.properties))

    def _template(self, members: list[tuple[str, dict]]) -> dict:
        names = [name for name, _ in members]
        wanted = set(self.context.referenced_attributes)
        if ALL_ATTRIBUTES in wanted:
            wanted = (wanted - {ALL_ATTRIBUTES}) | set(self.attributes_schema)
        outputs = {key: {name: {'get_attr': [name, _member_attribute(key)]}
                         for name in names}
                   for key in sorted(wanted)}
        return group.template(members, outputs)

    # --- batches (update policies) ---

    def batch_policy(self, action: str, update_policy: dict,
                     old_properties: dict) -> group_batches.Policy | None:
        """``batch_create`` for a create with servers, ``rolling_update``
        for an update that changes any property (Heat's
        ``res_def_changed`` is always true for these groups); None for one
        child operation."""
        if action == base.CREATE:
            policy = update_policy.get(rg.BATCH_CREATE)
            if not self.properties[SERVERS]:
                return None
        else:
            policy = update_policy.get(rg.ROLLING_UPDATE)
            old = old_properties or {}
            if not any(old.get(name) != self.properties.get(name)
                       for name in self.properties_schema):
                return None
        if not policy:
            return None
        return group_batches.Policy(policy[rg.MAX_BATCH_SIZE], 0,
                                    policy[rg.PAUSE_TIME])

    def batches(self, policy: group_batches.Policy,
                members: list[group_batches.Member]) -> list[tuple[int, int]]:
        return group_batches.batches(len(self.properties[SERVERS]),
                                     len(members), policy.max_batch_size, 0)

    def batch_template(self, size: int, changed: int,
                       members: list[group_batches.Member]) -> dict:
        """One batch's child: the first ``size`` servers' deployments, up
        to ``changed`` of them new or changed (failed ones replaced)."""
        wanted = dict(self._members(self.properties))
        order = list(wanted)
        valid = [(m.name, m.definition) for m in members if not m.failed]
        chosen = group_batches.members(valid, order[:size], len(order), size,
                                       changed, wanted.__getitem__)
        chosen.sort(key=lambda member: order.index(member[0])
                    if member[0] in order else len(order))
        return self._template(chosen)

    @classmethod
    def has_attribute(cls, name: str) -> bool:
        """The three maps, and any attribute of the members (a config's
        output), as Heat's."""
        return isinstance(name, str)

    def _resolve_attribute(self, name: str) -> object:
        return self.outputs.get(name)


class StructuredDeploymentGroup(SoftwareDeploymentGroup):
    """Deploys one structured config to each server of a map."""

    member_type = 'OS::Heat::StructuredDeployment'
    member_class = sd.StructuredDeployment
    properties_schema = dict(
        SoftwareDeploymentGroup.properties_schema,
        **{k: sd.StructuredDeployment.properties_schema[k]
           for k in (sd.INPUT_KEY, sd.INPUT_VALUES_VALIDATE)})


def _member_attribute(key: str) -> str:
    return MEMBER_ATTRIBUTES.get(key, key)
