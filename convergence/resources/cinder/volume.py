"""OS::Cinder::Volume: a Cinder volume, with Heat 27's properties.

A create waits until the volume is ``available`` (``error`` fails it).  In
place: ``name``, ``description``, ``metadata``, ``read_only``, a larger
``size`` (extended, attached or not; a smaller one is refused as Heat
refuses it) and ``volume_type`` (retyped, never migrated).  Heat's
``backup_id``, ``scheduler_hints`` and ``multiattach`` are not implemented:
refused by name.  A delete waits until the volume is gone.

A check compares Cinder's name, description, size, metadata and (when the
template sets it) read-only flag with the template (Heat's
parse_live_resource_data fields; decision 34): one changed behind the
stack's back fails the check naming it, and the next update sets the
template's values again in place (a volume grown beyond the template's
size fails as any shrink does: Cinder cannot shrink it).
"""

import json

from convergence.exceptions import StackValidationFailed
from convergence.resources import constraints as constr
from convergence.resources import live_state
from convergence.resources.cloud_resource import (
    CheckFailed, CloudResource, ResourceInError, ResourceUnknownStatus,
    refuse_not_implemented)
from convergence.resources.failures import resource_failure
from convergence.resources.properties import BOOLEAN, INTEGER, MAP, \
    STRING, Schema

NOT_IMPLEMENTED = ('backup_id', 'scheduler_hints', 'multiattach')
CREATING = ('creating', 'restoring-backup', 'downloading')
# Statuses a volume rests in once an action is done.
SETTLED = ('available', 'in-use')
# The admin metadata Cinder shows among a volume's metadata (its read-only
# flag and attach mode): not the template's.
ADMIN_METADATA = ('readonly', 'attached_mode')


def _custom(name: str) -> list:
    return [constr.CustomConstraint(name)]


class Volume(CloudResource):
    """A block storage volume."""

    service_type = 'volumev3'
    default_client_name = 'cinder'
    entity_label = 'Volume'
    support_version = '2014.1'

    properties_schema = {
        'availability_zone': Schema(STRING, 'The availability zone in which '
                                    'the volume will be created.'),
        'size': Schema(INTEGER, 'The size of the volume in GB. On update '
                       'only increase in size is supported. This property '
                       'is required unless property source_volid or '
                       'snapshot_id is specified.', update_allowed=True,
                       constraints=[constr.Range(min=1)]),
        'snapshot_id': Schema(STRING, 'If specified, the snapshot to create '
                              'the volume from.'),
        'backup_id': Schema(STRING, 'If specified, the backup to create the '
                            'volume from (not implemented here).'),
        'name': Schema(STRING, 'A name used to distinguish the volume.',
                       update_allowed=True),
        'description': Schema(STRING, 'A description of the volume.',
                              update_allowed=True),
        'volume_type': Schema(STRING, 'If specified, the type of volume to '
                              'use, mapping to a specific backend.',
                              update_allowed=True,
                              constraints=_custom('cinder.vtype')),
        'metadata': Schema(MAP, 'Key/value pairs to associate with the '
                           'volume.', update_allowed=True, default={}),
        'imageRef': Schema(STRING, 'The ID of the image to create the '
                           'volume from.', hidden=True),
        'image': Schema(STRING, 'If specified, the name or ID of the image '
                        'to create the volume from.',
                        constraints=_custom('glance.image')),
        'source_volid': Schema(STRING, 'If specified, the volume to use as '
                               'source.', constraints=_custom(
                                   'cinder.volume')),
        'scheduler_hints': Schema(MAP, 'Arbitrary key-value pairs for the '
                                  'Cinder scheduler (not implemented '
                                  'here).'),
        'read_only': Schema(BOOLEAN, 'Enables or disables read-only access '
                            'mode of volume.', update_allowed=True),
        'multiattach': Schema(BOOLEAN, 'Whether allow the volume to be '
                              'attached more than once (not implemented '
                              'here).', default=False),
    }
    attributes_schema = {
        'availability_zone': 'The availability zone in which the volume is '
                             'located.',
        'size': 'The size of the volume in GB.',
        'snapshot_id': 'The snapshot the volume was created from, if any.',
        'display_name': 'Name of the volume.',
        'display_description': 'Description of the volume.',
        'volume_type': 'The type of the volume mapping to a backend, if '
                       'any.',
        'metadata': 'Key/value pairs associated with the volume.',
        'source_volid': 'The volume used as source, if any.',
        'status': 'The current status of the volume.',
        'created_at': 'The timestamp indicating volume creation.',
        'bootable': 'Boolean indicating if the volume can be booted or not.',
        'metadata_values': 'Key/value pairs associated with the volume in '
                           'raw dict form.',
        'encrypted': 'Boolean indicating if the volume is encrypted or not.',
        'attachments': 'A string representation of the list of attachments '
                       'of the volume.',
        'attachments_list': 'The list of attachments of the volume.',
        'multiattach': 'Boolean indicating whether allow the volume to be '
                       'attached more than once.',
    }
    attribute_types = {name: 'string' for name in attributes_schema}
    attribute_types.update(metadata_values='map', attachments_list='list')

    @classmethod
    def translate_properties(cls, props: dict) -> dict:
        props = dict(props)
        if props.get('multiattach') is False:
            props.pop('multiattach')
        refuse_not_implemented(props, NOT_IMPLEMENTED, 'OS::Cinder::Volume')
        if props.get('imageRef') is not None and props.get('image') is None:
            props['image'] = props.pop('imageRef')
        return props

    @classmethod
    def check_properties(cls, resource_name: str, props: dict) -> None:
        if props.get('size') is None and not (
                props.get('source_volid') or props.get('snapshot_id')):
            raise StackValidationFailed(
                'One of the properties "size", "source_volid" or '
                '"snapshot_id" should be set for the specified volume '
                '"%s".' % resource_name)

    def volumes(self):
        return self.cloud().block_storage

    def fetch(self) -> dict | None:
        return self.volumes().show('volume', self.resource_id)

    def handle_create(self):
        props = self.properties
        body = {'name': props.get('name') or self.physical_resource_name(),
                'metadata': _strings(props.get('metadata'))}
        for prop in ('size', 'availability_zone', 'snapshot_id',
                     'description', 'source_volid'):
            if props.get(prop) is not None:
                body[prop] = props[prop]
        if props.get('volume_type'):
            body['volume_type'] = self.lookup(
                'cinder.vtype', props['volume_type'], 'volume_type')['name']
        if props.get('image'):
            body['imageRef'] = self.lookup('glance.image', props['image'],
                                           'image')['id']
        self.resource_id_set(self.volumes().create('volume', body)['id'])
        return True

    def resume_create(self):
        return True

    def check_create_complete(self, token) -> bool:
        volume = self.existing()
        status = volume.get('status')
        if status in CREATING:
            return False
        if status == 'error':
            raise ResourceInError(status)
        if status != 'available':
            raise ResourceUnknownStatus('Volume create failed', status)
        if self.properties.get('read_only') is not None:
            self._read_only(self.properties['read_only'])
        return True

    def _read_only(self, flag: bool) -> None:
        self.volumes().action('volume', self.resource_id,
                              'os-update_readonly_flag', {'readonly': flag})

    def handle_update(self, new_properties: dict, prop_diff: dict):
        volumes, volume_id = self.volumes(), self.resource_id
        changes = {k: prop_diff[k] for k in ('name', 'description')
                   if k in prop_diff}
        if 'name' in changes and not changes['name']:
            changes['name'] = self.physical_resource_name()
        if changes:
            volumes.update('volume', volume_id, changes)
        if 'metadata' in prop_diff:
            volumes.set_metadata(volume_id, _strings(prop_diff['metadata']))
        if 'read_only' in prop_diff:
            self._read_only(bool(prop_diff['read_only']))
        waits = []
        if prop_diff.get('size') is not None:
            waits.append(self._extend(prop_diff['size']))
        if prop_diff.get('volume_type'):
            volumes.action('volume', volume_id, 'os-retype', {
                'new_type': prop_diff['volume_type'],
                'migration_policy': 'never'})
            waits.append('retype')
        return waits

    def _extend(self, size: int) -> str:
        current = self.existing()['size']
        if size < current:
            raise resource_failure(self.name, 'NotSupported',
                                   'Shrinking volume is not supported.')
        if size > current:
            self.volumes().action('volume', self.resource_id, 'os-extend',
                                  {'new_size': size})
        return 'extend'

    def check_update_complete(self, token) -> bool:
        if not token:
            return True
        status = self.existing().get('status')
        if status in SETTLED:
            return True
        if status.startswith('error'):
            raise ResourceInError(status)
        return False

    def handle_delete(self):
        if self.resource_id is None:
            return None
        return self.volumes().delete('volume', self.resource_id) or None

    def check_delete_complete(self, token) -> bool:
        if not token:
            return True
        volume = self.show_resource()
        if volume is None:
            return True
        if volume.get('status') == 'error_deleting':
            raise ResourceInError('error_deleting')
        return False

    def handle_check(self):
        status = self.existing().get('status')
        if status not in SETTLED:
            raise CheckFailed('status', list(SETTLED), status)
        live_state.check(self, self.attributes())

    # --- reality (live_state) ---

    def expected_live(self) -> dict:
        props = self.properties
        expected = {'name': props.get('name') or self.physical_resource_name(),
                    'description': props.get('description'),
                    'metadata': _strings(props.get('metadata'))}
        if props.get('size') is not None:
            expected['size'] = props['size']
        if props.get('read_only') is not None:
            expected['read_only'] = props['read_only']
        return expected

    def live_properties(self, volume: dict) -> dict:
        metadata = dict(volume.get('metadata') or {})
        flag = metadata.get('readonly')
        return {'name': volume.get('name'),
                'description': volume.get('description') or None,
                'size': volume.get('size'),
                'metadata': {k: v for k, v in metadata.items()
                             if k not in ADMIN_METADATA},
                'read_only': None if flag is None
                else str(flag).lower() == 'true'}

    def _resolve_attribute(self, name: str) -> object:
        volume = self.attributes()
        if volume is None:
            return None
        if name == 'metadata':
            return json.dumps(volume.get('metadata') or {})
        if name == 'metadata_values':
            return volume.get('metadata') or {}
        if name == 'display_name':
            return volume.get('name')
        if name == 'display_description':
            return volume.get('description')
        if name == 'attachments_list':
            return volume.get('attachments') or []
        return str(volume.get(name))


def _strings(metadata: dict | None) -> dict:
    """Metadata as Cinder keeps it: every value a string."""
    return {k: str(v) for k, v in (metadata or {}).items()}
