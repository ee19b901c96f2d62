"""OS::Nova::HostAggregate: a Nova host aggregate (admin only), with Heat
27's properties.

Everything changes in place: ``name`` and ``availability_zone`` (Nova's
update), ``hosts`` (the hosts the aggregate has now added or removed to
match) and ``metadata`` (the new keys set, the keys the template no longer
has removed: Heat only sets, so a removed key stayed there).  Nova keeps the
availability zone in the metadata too, under ``availability_zone``; that
key follows the property, not ``metadata``; Nova never unsets a zone, so
an update dropping ``availability_zone`` fails with Nova's words (as
Heat's does).  A delete first takes the hosts
out, as Nova refuses to delete an aggregate that has any.
"""

from convergence.resources.cloud_resource import CloudResource
from convergence.resources.properties import LIST, MAP, STRING, Schema
from convergence.resources import constraints as constr

# Nova's metadata key of the aggregate's availability zone.
ZONE_KEY = 'availability_zone'


class HostAggregate(CloudResource):
    """A group of compute hosts, with metadata for the scheduler."""

    service_type = 'compute'
    default_client_name = 'nova'
    entity_label = 'Aggregate'
    support_version = '6.0.0'

    properties_schema = {
        'name': Schema(STRING, 'Name for the aggregate.', required=True,
                       update_allowed=True),
        'availability_zone': Schema(STRING, 'Name for the availability '
                                    'zone.', update_allowed=True),
        'hosts': Schema(LIST, 'List of hosts to join aggregate.',
                        update_allowed=True,
                        schema=Schema(STRING, constraints=[
                            constr.CustomConstraint('nova.host')])),
        'metadata': Schema(MAP, 'Arbitrary key/value metadata to store '
                           'information for aggregate.', update_allowed=True,
                           default={}),
    }

    def compute(self):
        return self.cloud().compute

    def fetch(self) -> dict | None:
        return self.compute().show('aggregate', self.resource_id)

    def handle_create(self):
        props = self.properties
        made = self.compute().create('aggregate', {
            'name': props['name'],
            'availability_zone': props.get('availability_zone')})
        self.resource_id_set(made['id'])
        if props.get('metadata'):
            self._set_metadata(props['metadata'])
        for host in props.get('hosts') or ():
            self._host('add_host', host)

    def _host(self, action: str, host: str) -> None:
        self.compute().action('aggregate', self.resource_id, action,
                              {'host': host})

    def _set_metadata(self, metadata: dict) -> None:
        self.compute().action('aggregate', self.resource_id, 'set_metadata',
                              {'metadata': metadata})

    def handle_update(self, new_properties: dict, prop_diff: dict):
        changes = {k: prop_diff[k] for k in ('name', 'availability_zone')
                   if k in prop_diff}
        if changes:
            self.compute().update('aggregate', self.resource_id, changes)
        if 'hosts' in prop_diff:
            old = set(self.existing().get('hosts') or ())
            new = set(prop_diff['hosts'] or ())
            for host in sorted(old - new):
                self._host('remove_host', host)
            for host in sorted(new - old):
                self._host('add_host', host)
        if 'metadata' in prop_diff:
            new = dict(prop_diff['metadata'] or {})
            before = self.properties_before().get('metadata') or {}
            # None removes a key in Nova's set_metadata.
            new.update({key: None for key in before
                        if key not in new and key != ZONE_KEY})
            if new:
                self._set_metadata(new)

    def handle_delete(self):
        if self.resource_id is None:
            return None
        aggregate = self.fetch()
        if aggregate is None:
            return None
        for host in aggregate.get('hosts') or ():
            self._host('remove_host', host)
        self.compute().delete('aggregate', self.resource_id)
        return None

    def handle_check(self):
        self.existing()
