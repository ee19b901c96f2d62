"""OS::Keystone::Region: a Keystone region, with Heat 27's properties.

A new ``id`` makes a new region (Heat URL-encodes it, so does this);
the rest changes in place.
"""

from urllib import parse

from convergence.resources import constraints as constr
from convergence.resources.keystone.base import KeystoneResource
from convergence.resources.properties import BOOLEAN, STRING, Schema


class Region(KeystoneResource):
    """A part of the deployment that endpoints belong to."""

    kind = 'region'
    entity_label = 'Region'
    support_version = '6.0.0'

    properties_schema = {
        'id': Schema(STRING, 'The user-defined region ID and should unique '
                     'to the OpenStack deployment. While creating the '
                     'region, heat will url encode this ID.'),
        'parent_region': Schema(
            STRING, 'If the region is hierarchically a child of another '
            'region, set this parameter to the ID of the parent region.',
            update_allowed=True,
            constraints=[constr.CustomConstraint('keystone.region')]),
        'description': Schema(STRING, 'Description of keystone region.',
                              update_allowed=True),
        'enabled': Schema(BOOLEAN, 'This region is enabled or disabled.',
                          default=True, update_allowed=True),
    }

    def handle_create(self):
        props = self.properties
        self.create_from({
            'id': parse.quote(props['id']) if props.get('id') else None,
            'parent_region_id': self.resolve_id(
                'region', props.get('parent_region'), 'parent_region'),
            'description': props.get('description'),
            'enabled': props['enabled']})

    def handle_update(self, new_properties: dict, prop_diff: dict):
        self.update_with({
            'parent_region_id': self.resolve_id(
                'region', prop_diff.get('parent_region'), 'parent_region'),
            'description': prop_diff.get('description'),
            'enabled': prop_diff.get('enabled')})
