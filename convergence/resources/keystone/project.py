"""OS::Keystone::Project: a Keystone project, with Heat 27's properties.

Everything but ``parent`` changes in place (Keystone itself refuses to move
a project to another domain).  The delete first deletes the ``default``
security group Neutron made for the project, as Heat does, so that no
orphan is left (when the cloud has a network service).
"""

from convergence.resources import constraints as constr
from convergence.resources.keystone.base import KeystoneResource
from convergence.resources.properties import BOOLEAN, LIST, STRING, Schema

DEFAULT_SECURITY_GROUP = 'default'


class Project(KeystoneResource):
    """The unit of ownership of a cloud's resources."""

    kind = 'project'
    entity_label = 'Project'
    support_version = '2015.1'

    properties_schema = {
        'name': Schema(STRING, 'Name of keystone project.',
                       update_allowed=True),
        'domain': Schema(STRING, 'Name or id of keystone domain.',
                         default='default', update_allowed=True,
                         constraints=[
                             constr.CustomConstraint('keystone.domain')]),
        'description': Schema(STRING, 'Description of keystone project.',
                              default='', update_allowed=True),
        'enabled': Schema(BOOLEAN, 'This project is enabled or disabled.',
                          default=True, update_allowed=True),
        'parent': Schema(STRING, 'The name or ID of parent of this keystone '
                         'project in hierarchy.', constraints=[
                             constr.CustomConstraint('keystone.project')]),
        'tags': Schema(LIST, 'A list of tags for labeling and sorting '
                       'projects.', default=[], update_allowed=True),
    }
    attributes_schema = {
        'name': 'Project name.',
        'parent_id': 'Parent project id.',
        'domain_id': 'Domain id for project.',
        'enabled': 'Flag of enable project.',
        'is_domain': 'Indicates whether the project also acts as a domain.',
    }
    attribute_types = {'name': 'string', 'parent_id': 'string',
                       'domain_id': 'string', 'enabled': 'boolean',
                       'is_domain': 'boolean'}

    def handle_create(self):
        props = self.properties
        self.create_from({
            'name': self.name_or_default(props.get('name')),
            'domain_id': self.resolve_id('domain', props['domain'],
                                         'domain'),
            'description': props['description'],
            'enabled': props['enabled'],
            'parent_id': self.resolve_id('project', props.get('parent'),
                                         'parent'),
            'tags': list(props.get('tags') or [])})

    def handle_update(self, new_properties: dict, prop_diff: dict):
        attrs = {'description': prop_diff.get('description'),
                 'enabled': prop_diff.get('enabled')}
        if 'name' in prop_diff:
            attrs['name'] = self.name_or_default(prop_diff['name'])
        if 'domain' in prop_diff:
            attrs['domain_id'] = self.resolve_id(
                'domain', new_properties['domain'], 'domain')
        if 'tags' in prop_diff:
            attrs['tags'] = list(prop_diff['tags'] or [])
        self.update_with(attrs)

    def handle_delete(self):
        if self.resource_id is None:
            return None
        cloud = self.cloud()
        if cloud.has_service('network'):
            for group in cloud.network.list('security_group', {
                    'project_id': self.resource_id,
                    'name': DEFAULT_SECURITY_GROUP}):
                cloud.network.delete('security_group', group['id'])
        return super().handle_delete()
