"""The in-memory twins of Cinder and Glance (cloud_ports.BlockStorageAPI,
cloud_ports.ImageAPI), for unit tests.

A new volume is shown ``creating`` once, then ``available`` (or ``error`` after
``fail_build``), one step per ``show``; ``os-extend`` passes ``extending``;
a deleted volume is shown ``deleting`` once, then gone; an attached volume
cannot be deleted (400, as Cinder answers).  A volume type's encryption
is refused while a volume of the type exists (400, as Cinder does).  Images are records with a
status; the twin holds whatever a test puts in ``images.resources``; an
import shows ``importing`` once, then ``active``
(``queued`` again, with a failed task, after ``fail_import``).
"""

import copy
import uuid

from convergence.clients import errors
from convergence.clients import memory_calls


class InMemoryBlockStorage(memory_calls.CallLog):
    """cloud_ports.BlockStorageAPI over dicts."""

    def __init__(self):
        super().__init__()
        self.resources: dict[str, dict[str, dict]] = {
            'volume': {}, 'volume_type': {}}
        self._steps: dict[str, list[str]] = {}
        self._build_error = False

    def fail_build(self) -> None:
        """Make the next volume created end in status ``error``."""
        self._build_error = True

    def steps_to(self, volume_id: str, *statuses: str) -> None:
        """The statuses the volume shows next, one per ``show``."""
        self._steps[volume_id] = list(statuses)

    def create(self, kind: str, attrs: dict) -> dict:
        self._enter(kind, 'create', copy.deepcopy(attrs))
        item = dict(copy.deepcopy(attrs), id=str(uuid.uuid4()))
        if kind == 'volume_type':
            item.setdefault('extra_specs', {})
            item['is_public'] = item.pop('os-volume-type-access:is_public',
                                         True)
            item['access'] = []
        if kind == 'volume':
            if not isinstance(item.get('size'), int) or item['size'] < 1:
                raise errors.BadRequest('Invalid input received: size must '
                                        'be an integer greater than 0', 400)
            item.update(status='creating', attachments=[],
                        metadata=item.get('metadata') or {},
                        bootable='true' if item.get('imageRef') else 'false')
            item.setdefault('volume_type', '__DEFAULT__')
            self.steps_to(item['id'], 'creating', 'error'
                          if self._build_error else 'available')
            self._build_error = False
        self.resources[kind][item['id']] = item
        return copy.deepcopy(item)

    def show(self, kind: str, resource_id: str) -> dict | None:
        self._enter(kind, 'show', resource_id)
        item = self.resources[kind].get(resource_id)
        if item is None:
            return None
        steps = self._steps.get(resource_id)
        if steps:
            item['status'] = steps.pop(0)
        if item.get('status') == 'deleted':
            del self.resources[kind][resource_id]
            return None
        return copy.deepcopy(item)

    def find(self, kind: str, name_or_id: str) -> dict | None:
        self._enter(kind, 'find', name_or_id)
        items = self.resources[kind]
        if name_or_id in items:
            return copy.deepcopy(items[name_or_id])
        named = [i for i in items.values() if i.get('name') == name_or_id]
        if len(named) > 1:
            raise errors.Ambiguous(
                "Multiple %s matches found for name '%s', use an ID to be "
                "more specific." % (kind, name_or_id))
        return copy.deepcopy(named[0]) if named else None

    def _get(self, kind: str, resource_id: str) -> dict:
        item = self.resources[kind].get(resource_id)
        if item is None:
            raise errors.NotFound('Volume %s could not be found.'
                                  % resource_id, 404)
        return item

    def update(self, kind: str, resource_id: str, attrs: dict) -> dict:
        self._enter(kind, 'update', resource_id, dict(attrs))
        item = self._get(kind, resource_id)
        item.update(attrs)
        return copy.deepcopy(item)

    def delete(self, kind: str, resource_id: str) -> bool:
        self._enter(kind, 'delete', resource_id)
        item = self.resources[kind].get(resource_id)
        if item is None:
            return False
        if kind != 'volume':
            del self.resources[kind][resource_id]
        elif item['attachments'] or item['status'] not in (
                'available', 'error'):
            raise errors.BadRequest(
                'Invalid volume: Volume status must be available or error '
                'or error_restoring or error_extending or error_managing and '
                'must not be migrating, attached, belong to a group, have '
                'snapshots, awaiting a transfer, or be disassociated from '
                'snapshots after volume transfer.', 400)
        else:
            self.steps_to(resource_id, 'deleting', 'deleted')
        return True

    def action(self, kind: str, resource_id: str, name: str,
               args: dict | None = None) -> None:
        self._enter(kind, name, resource_id, copy.deepcopy(args))
        volume = self._get(kind, resource_id)
        if name == 'os-update_readonly_flag':
            # Cinder shows the flag among the volume's metadata.
            volume['metadata'] = dict(volume.get('metadata') or {},
                                      readonly=str(bool(args['readonly'])))
            return
        if name != 'os-extend':
            raise errors.BadRequest('Invalid action %s' % name, 400)
        new_size = args['new_size']
        if new_size <= volume['size']:
            raise errors.BadRequest(
                'Invalid input received: New size for extend must be '
                'greater than current size. (current: %s, extended: %s).'
                % (volume['size'], new_size), 400)
        volume['size'] = new_size
        self.steps_to(resource_id, 'extending', 'available')

    def set_metadata(self, volume_id: str, metadata: dict) -> dict:
        self._enter('volume', 'set_metadata', volume_id, dict(metadata))
        volume = self._get('volume', volume_id)
        # Cinder's admin metadata (the read-only flag) stays.
        admin = {k: v for k, v in (volume.get('metadata') or {}).items()
                 if k == 'readonly'}
        volume['metadata'] = dict(metadata, **admin)
        return dict(metadata)

    def _type(self, type_id: str) -> dict:
        item = self.resources['volume_type'].get(type_id)
        if item is None:
            raise errors.NotFound('Volume type %s could not be found.'
                                  % type_id, 404)
        return item

    def set_extra_specs(self, type_id: str, specs: dict) -> None:
        self._enter('volume_type', 'set_extra_specs', type_id, dict(specs))
        self._type(type_id)['extra_specs'].update(specs)

    def unset_extra_spec(self, type_id: str, key: str) -> None:
        self._enter('volume_type', 'unset_extra_spec', type_id, key)
        specs = self._type(type_id)['extra_specs']
        if key not in specs:
            raise errors.NotFound('Volume Type %s has no extra specs with '
                                  'key %s.' % (type_id, key), 404)
        del specs[key]

    def type_access(self, type_id: str) -> list[str]:
        self._enter('volume_type', 'type_access', type_id)
        item = self._type(type_id)
        if item['is_public']:
            raise errors.NotFound('Access list not available for public '
                                  'volume types.', 404)
        return list(item['access'])

    def change_type_access(self, type_id: str, project_id: str,
                           add: bool) -> None:
        self._enter('volume_type', 'change_type_access', type_id,
                    project_id, add)
        item = self._type(type_id)
        if item['is_public']:
            raise errors.BadRequest('Invalid volume type: Type access '
                                    'modification is not applicable to '
                                    'public volume type.', 400)
        if add:
            item['access'].append(project_id)
        elif project_id in item['access']:
            item['access'].remove(project_id)

    def _unused_type(self, type_id: str) -> dict:
        item = self._type(type_id)
        if any(v.get('volume_type') in (type_id, item.get('name'))
               for v in self.resources['volume'].values()):
            raise errors.BadRequest('Cannot update encryption specs. Volume '
                                    'type in use.', 400)
        return item

    def encryption(self, type_id: str) -> dict | None:
        self._enter('volume_type', 'encryption', type_id)
        item = self.resources['volume_type'].get(type_id)
        if item is None or not item.get('encryption'):
            return None
        return copy.deepcopy(item['encryption'])

    def set_encryption(self, type_id: str, specs: dict,
                       create: bool) -> dict:
        self._enter('volume_type', 'set_encryption', type_id, dict(specs),
                    create)
        item = self._unused_type(type_id)
        if create == bool(item.get('encryption')):
            raise errors.BadRequest(
                'Volume type encryption for type %s already exists.'
                % type_id if create else 'Volume type encryption for type %s '
                'does not exist.' % type_id, 400 if create else 404)
        encryption = item.setdefault('encryption', {
            'volume_type_id': type_id, 'encryption_id': str(uuid.uuid4()),
            'control_location': 'front-end'})
        encryption.update(specs)
        return copy.deepcopy(encryption)

    def delete_encryption(self, type_id: str) -> bool:
        self._enter('volume_type', 'delete_encryption', type_id)
        item = self.resources['volume_type'].get(type_id)
        if item is None or not item.get('encryption'):
            return False
        self._unused_type(type_id)
        del item['encryption']
        return True


class InMemoryImage:
    """cloud_ports.ImageAPI over dicts (Glance's v2 fields)."""

    def __init__(self):
        self.resources: dict[str, dict] = {}
        self.calls: list[tuple] = []
        self._tasks: dict[str, list[dict]] = {}
        self._next_status: dict[str, str] = {}
        self._import_error: str | None = None

    def add(self, name: str, **fields) -> dict:
        """An active image already in the cloud (tests' seed data)."""
        image = dict({'id': str(uuid.uuid4()), 'name': name,
                      'status': 'active', 'min_disk': 0, 'min_ram': 0,
                      'size': 1024}, **fields)
        self.resources[image['id']] = image
        return dict(image)

    def activate_next(self, image_id: str) -> None:
        """The image is shown as it is once more, then ``active``."""
        self._next_status[image_id] = 'active'

    def show(self, image_id: str) -> dict | None:
        self.calls.append(('show', image_id))
        image = self.resources.get(image_id)
        if image is None:
            return None
        shown = dict(image)
        if image_id in self._next_status:
            image['status'] = self._next_status.pop(image_id)
        return shown

    def find(self, name_or_id: str) -> dict | None:
        self.calls.append(('find', name_or_id))
        if name_or_id in self.resources:
            return dict(self.resources[name_or_id])
        named = [i for i in self.resources.values()
                 if i.get('name') == name_or_id]
        if len(named) > 1:
            raise errors.Ambiguous(
                "Multiple image matches found for name '%s', use an ID to "
                "be more specific." % name_or_id)
        return dict(named[0]) if named else None

    def create(self, attrs: dict) -> dict:
        self.calls.append(('create', dict(attrs)))
        return self.add(attrs.get('name'), status='queued',
                        **{k: v for k, v in attrs.items() if k != 'name'})

    def import_from_url(self, image_id: str, url: str) -> None:
        """The image shows ``importing`` once, then ``active``; after
        ``fail_import`` it is ``queued`` again with a failed task."""
        self.calls.append(('import', image_id, url))
        image = self.resources[image_id]
        image['status'] = 'importing'
        if self._import_error is not None:
            self._tasks[image_id] = [{'status': 'failure',
                                      'message': self._import_error}]
            self._next_status[image_id] = 'queued'
            self._import_error = None
        else:
            self._tasks[image_id] = [{'status': 'success', 'message': ''}]
            self.activate_next(image_id)

    def fail_import(self, message: str) -> None:
        """Make the next import fail with the task message ``message``."""
        self._import_error = message

    def delete(self, image_id: str) -> bool:
        self.calls.append(('delete', image_id))
        return self.resources.pop(image_id, None) is not None

    def _image(self, image_id: str) -> dict:
        image = self.resources.get(image_id)
        if image is None:
            raise errors.NotFound('No image found with ID %s' % image_id,
                                  404)
        return image

    def update(self, image_id: str, changes: dict,
               removed: tuple = ()) -> dict:
        self.calls.append(('update', image_id, dict(changes), tuple(removed)))
        image = self._image(image_id)
        image.update(changes)
        for key in removed:
            image.pop(key, None)
        return dict(image)

    def tag(self, image_id: str, tag: str, add: bool) -> None:
        self.calls.append(('tag', image_id, tag, add))
        tags = self._image(image_id).setdefault('tags', [])
        if add and tag not in tags:
            tags.append(tag)
        elif not add and tag in tags:
            tags.remove(tag)

    def member(self, image_id: str, member: str, add: bool) -> None:
        self.calls.append(('member', image_id, member, add))
        image = self._image(image_id)
        if image.get('visibility') != 'shared':
            raise errors.Forbidden('Only shared images have members.', 403)
        members = image.setdefault('members', [])
        if add:
            members.append(member)
        elif member in members:
            members.remove(member)

    def set_active(self, image_id: str, active: bool) -> None:
        self.calls.append(('active', image_id, active))
        self._image(image_id)['status'] = (
            'active' if active else 'deactivated')

    def tasks(self, image_id: str) -> list[dict]:
        self.calls.append(('tasks', image_id))
        return list(self._tasks.get(image_id, []))
