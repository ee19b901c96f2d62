"""OS::Keystone::Endpoint: an endpoint of a catalog service, with Heat 27's
properties; every one changes in place."""

from convergence.resources import constraints as constr
from convergence.resources.keystone.base import KeystoneResource
from convergence.resources.properties import BOOLEAN, STRING, Schema


class Endpoint(KeystoneResource):
    """The URL of a service on one interface, in a region."""

    kind = 'endpoint'
    entity_label = 'Endpoint'
    support_version = '5.0.0'

    properties_schema = {
        'name': Schema(STRING, 'Name of keystone endpoint.',
                       update_allowed=True),
        'region': Schema(STRING, 'Name or Id of keystone region.',
                         update_allowed=True, constraints=[
                             constr.CustomConstraint('keystone.region')]),
        'service': Schema(STRING, 'Name or Id of keystone service.',
                          update_allowed=True, required=True, constraints=[
                              constr.CustomConstraint('keystone.service')]),
        'interface': Schema(STRING, 'Interface type of keystone service '
                            'endpoint.', update_allowed=True, required=True,
                            constraints=[constr.AllowedValues(
                                ['public', 'internal', 'admin'])]),
        'url': Schema(STRING, 'URL of keystone service endpoint.',
                      update_allowed=True, required=True),
        'enabled': Schema(BOOLEAN, 'This endpoint is enabled or disabled.',
                          default=True, update_allowed=True),
    }

    def _ids(self, props: dict) -> dict:
        return {'region_id': self.resolve_id('region', props.get('region'),
                                             'region'),
                'service_id': self.resolve_id(
                    'service', props.get('service'), 'service')}

    def handle_create(self):
        props = self.properties
        self.create_from(dict(self._ids(props), **{
            'interface': props['interface'], 'url': props['url'],
            'name': self.name_or_default(props.get('name')),
            'enabled': props['enabled']}))

    def handle_update(self, new_properties: dict, prop_diff: dict):
        attrs = dict(self._ids(prop_diff), **{
            key: prop_diff.get(key) for key in ('interface', 'url',
                                                'enabled')})
        if 'name' in prop_diff:
            attrs['name'] = self.name_or_default(prop_diff['name'])
        self.update_with(attrs)
