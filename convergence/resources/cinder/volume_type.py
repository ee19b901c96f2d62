"""OS::Cinder::VolumeType: a Cinder volume type (admin only), with Heat
27's properties.

Everything changes in place: ``name``, ``description`` and ``is_public``
(Cinder's update), ``metadata`` (the type's extra specs: the old ones
unset, the new ones set) and, for a private type, ``projects`` (the
projects given access, by id: names are not looked up in Keystone here).
"""

from convergence.exceptions import StackValidationFailed
from convergence.resources.cloud_resource import CloudResource
from convergence.resources.properties import BOOLEAN, LIST, MAP, STRING, \
    Schema

# Cinder's name for is_public in a create (the update takes is_public).
IS_PUBLIC_FIELD = 'os-volume-type-access:is_public'


class VolumeType(CloudResource):
    """A kind of volume, mapping to a backend."""

    service_type = 'volumev3'
    default_client_name = 'cinder'
    entity_label = 'Volume type'
    support_version = '2015.1'

    properties_schema = {
        'name': Schema(STRING, 'Name of the volume type.', required=True,
                       update_allowed=True),
        'metadata': Schema(MAP, 'The extra specs key and value pairs of the '
                           'volume type.', update_allowed=True),
        'is_public': Schema(BOOLEAN, 'Whether the volume type is accessible '
                            'to the public.', default=True,
                            update_allowed=True),
        'description': Schema(STRING, 'Description of the volume type.',
                              update_allowed=True),
        'projects': Schema(LIST, 'Projects to add volume type access to '
                           '(their ids).', update_allowed=True, default=[],
                           schema=Schema(STRING)),
    }

    @classmethod
    def check_properties(cls, resource_name: str, props: dict) -> None:
        if props.get('projects') and props.get('is_public'):
            raise StackValidationFailed(
                'Can not specify property "projects" if the volume type is '
                'public.')

    def volumes(self):
        return self.cloud().block_storage

    def fetch(self) -> dict | None:
        return self.volumes().show('volume_type', self.resource_id)

    def handle_create(self):
        props = self.properties
        made = self.volumes().create('volume_type', {
            'name': props['name'], 'description': props.get('description'),
            IS_PUBLIC_FIELD: props['is_public']})
        self.resource_id_set(made['id'])
        if props.get('metadata'):
            self.volumes().set_extra_specs(made['id'], _specs(
                props['metadata']))
        for project in props.get('projects') or ():
            self.volumes().change_type_access(made['id'], project, True)

    def handle_update(self, new_properties: dict, prop_diff: dict):
        volumes, type_id = self.volumes(), self.resource_id
        changes = {k: prop_diff[k] for k in ('name', 'description',
                                             'is_public') if k in prop_diff}
        if changes:
            volumes.update('volume_type', type_id, changes)
        if 'metadata' in prop_diff:
            for key in self.existing().get('extra_specs') or {}:
                volumes.unset_extra_spec(type_id, key)
            if prop_diff['metadata']:
                volumes.set_extra_specs(type_id,
                                        _specs(prop_diff['metadata']))
        if 'projects' in prop_diff and not new_properties['is_public']:
            old = set(volumes.type_access(type_id))
            new = set(prop_diff['projects'] or ())
            for project in sorted(old - new):
                volumes.change_type_access(type_id, project, False)
            for project in sorted(new - old):
                volumes.change_type_access(type_id, project, True)

    def handle_delete(self):
        if self.resource_id is not None:
            self.volumes().delete('volume_type', self.resource_id)

    def handle_check(self):
        self.existing()


def _specs(metadata: dict) -> dict:
    """Extra specs are strings in Cinder."""
    return {k: v if isinstance(v, str) else str(v).lower()
            if isinstance(v, bool) else str(v) for k, v in metadata.items()}
