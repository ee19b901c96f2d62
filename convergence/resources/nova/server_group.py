"""OS::Nova::ServerGroup: a Nova server group, with Heat 27's properties
(Nova's single ``policy`` is ``policies``' one entry; ``rules`` go with
it).  Every change replaces the group."""

from convergence.exceptions import StackValidationFailed
from convergence.resources import constraints as constr
from convergence.resources.cloud_resource import CloudResource
from convergence.resources.properties import LIST, MAP, NUMBER, STRING, \
    Schema


class ServerGroup(CloudResource):
    """An affinity or anti-affinity group of servers."""

    service_type = 'compute'
    default_client_name = 'nova'
    entity_label = 'Server group'
    support_version = '2014.2'

    properties_schema = {
        'name': Schema(STRING, 'Server Group name.'),
        'policies': Schema(LIST, 'A list of exactly one policy to apply. '
                           'Defaults to anti-affinity.',
                           default=['anti-affinity'],
                           constraints=[constr.AllowedValues([
                               'anti-affinity', 'affinity',
                               'soft-anti-affinity', 'soft-affinity'])],
                           schema=Schema(STRING)),
        'rules': Schema(MAP, 'Rules for a policy.', schema={
            'max_server_per_host': Schema(
                NUMBER, 'Maximum servers in a group on a given host. Rule '
                'for anti-affinity policy.')}),
    }

    @classmethod
    def check_properties(cls, resource_name: str, props: dict) -> None:
        policies = props.get('policies')
        if isinstance(policies, list) and len(policies) > 1:
            raise StackValidationFailed(
                'Property error: resources.%s.properties.policies: Only one '
                'policy is allowed (Nova API 2.64 and later).'
                % resource_name)

    def fetch(self) -> dict | None:
        return self.cloud().compute.show('server_group', self.resource_id)

    def handle_create(self):
        body = {'name': self.properties.get('name')
                or self.physical_resource_name(),
                'policy': (self.properties.get('policies')
                           or ['anti-affinity'])[0]}
        if self.properties.get('rules'):
            # Nova takes whole numbers only.
            body['rules'] = {k: int(v) for k, v in
                             self.properties['rules'].items()
                             if v is not None}
        made = self.cloud().compute.create('server_group', body)
        self.resource_id_set(made['id'])

    def handle_delete(self):
        if self.resource_id is None:
            return None
        self.cloud().compute.delete('server_group', self.resource_id)
        return None

    def handle_check(self):
        self.existing()
