"""OS::Nova::Flavor: a Nova flavor (admin only), with Heat 27's properties.

``extra_specs`` and, for a private flavor, ``tenants`` (the projects given
access; none gives the stack's own) change in place; the rest replace it.
A check compares both with Nova's (Heat's get_live_resource_data reads
the extra specs; decision 34 adds the access list): changed behind the
stack's back, the check fails naming them and the next update sets the
template's again.
"""

from convergence.resources import live_state
from convergence.resources.cloud_resource import CloudResource
from convergence.resources.properties import BOOLEAN, INTEGER, LIST, MAP, \
    NUMBER, STRING, Schema


class Flavor(CloudResource):
    """A size of server."""

    service_type = 'compute'
    default_client_name = 'nova'
    entity_label = 'Flavor'
    support_version = '2014.2'

    properties_schema = {
        'tenants': Schema(LIST, 'List of tenants.', update_allowed=True,
                          default=[], schema=Schema(STRING)),
        'flavorid': Schema(STRING, 'Unique ID of the flavor. If not '
                           'specified, an UUID will be auto generated and '
                           'used.'),
        'name': Schema(STRING, 'Name of the flavor.'),
        'ram': Schema(INTEGER, 'Memory in MB for the flavor.', required=True),
        'vcpus': Schema(INTEGER, 'Number of VCPUs for the flavor.',
                        required=True),
        'disk': Schema(INTEGER, 'Size of local disk in GB. The "0" size is a '
                       'special case that uses the native base image size '
                       'as the size of the ephemeral root volume.',
                       default=0),
        'swap': Schema(INTEGER, 'Swap space in MB.', default=0),
        'ephemeral': Schema(INTEGER, 'Size of a secondary ephemeral data '
                            'disk in GB.', default=0),
        'rxtx_factor': Schema(NUMBER, 'RX/TX factor.', default=1.0),
        'extra_specs': Schema(MAP, 'Key/Value pairs to extend the '
                              'capabilities of the flavor.',
                              update_allowed=True),
        'is_public': Schema(BOOLEAN, 'Scope of flavor accessibility. Public '
                            'or private. Default value is True, means '
                            'public, shared across all projects.',
                            default=True),
    }
    attributes_schema = {
        'is_public': 'Whether the flavor is shared across all projects.',
        'extra_specs': 'Extra specs of the flavor in key-value pairs.',
    }
    attribute_types = {'is_public': 'boolean', 'extra_specs': 'map'}

    def compute(self):
        return self.cloud().compute

    def fetch(self) -> dict | None:
        return self.compute().show('flavor', self.resource_id)

    def handle_create(self):
        props = self.properties
        body = {'name': props.get('name') or self.physical_resource_name(),
                'ram': props['ram'], 'vcpus': props['vcpus'],
                'disk': props['disk'], 'swap': props['swap'],
                'OS-FLV-EXT-DATA:ephemeral': props['ephemeral'],
                'rxtx_factor': props['rxtx_factor'],
                'os-flavor-access:is_public': props['is_public']}
        if props.get('flavorid'):
            body['id'] = props['flavorid']
        made = self.compute().create('flavor', body)
        self.resource_id_set(made['id'])
        if props.get('extra_specs'):
            self.compute().set_extra_specs(made['id'], props['extra_specs'])
        if not props['is_public']:
            tenants = props.get('tenants') or [self.context.tenant]
            self._access(tenants, [])

    def _access(self, add, remove) -> None:
        for tenant in remove:
            self.compute().action('flavor', self.resource_id,
                                  'removeTenantAccess', {'tenant': tenant})
        for tenant in add:
            self.compute().action('flavor', self.resource_id,
                                  'addTenantAccess', {'tenant': tenant})

    def handle_update(self, new_properties: dict, prop_diff: dict):
        if 'extra_specs' in prop_diff:
            self.compute().set_extra_specs(self.resource_id,
                                           prop_diff['extra_specs'] or {})
        if 'tenants' in prop_diff and not new_properties['is_public']:
            # None given is the stack's own project, as at create.
            own = [self.context.tenant]
            old = set(self.properties_before().get('tenants') or own)
            new = set(prop_diff['tenants'] or own)
            self._access(sorted(new - old), sorted(old - new))

    def handle_delete(self):
        if self.resource_id is None:
            return None
        self.compute().delete('flavor', self.resource_id)
        return None

    def handle_check(self):
        live_state.check(self, self.existing())

    # --- reality (live_state) ---

    def _private(self) -> bool:
        return not self.properties['is_public']

    def expected_live(self) -> dict:
        expected = {'extra_specs': {k: str(v) for k, v in (
            self.properties.get('extra_specs') or {}).items()}}
        if self._private():
            expected['tenants'] = sorted(self.properties.get('tenants')
                                         or [self.context.tenant])
        return expected

    def live_properties(self, flavor: dict) -> dict:
        # Nova keeps every value a string.
        live = {'extra_specs': {k: str(v) for k, v in (
            flavor.get('extra_specs') or {}).items()}}
        if self._private():
            live['tenants'] = sorted(self.compute().flavor_access(
                self.resource_id))
        return live

    def _resolve_attribute(self, name: str) -> object:
        flavor = self.attributes() or {}
        if name == 'is_public':
            return flavor.get('os-flavor-access:is_public')
        return flavor.get('extra_specs')
