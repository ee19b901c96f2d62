"""OS::Glance::WebImage: a Glance image whose data Glance downloads from
``location`` (image import, web-download), with Heat 27's properties.

A create makes the image record, asks the import and waits, polling
through the clock, until the image is ``active`` (``killed``, or an import
task that failed, fails it with Glance's message); ``active: false``
deactivates it then.  In place: ``protected``, ``tags``, ``architecture``,
``kernel_id``, ``os_distro``, ``os_version``, ``owner``,
``extra_properties``, ``visibility``, ``ramdisk_id``, ``active`` and
``members``; the rest (the location among them) replace it.  Glance's own
rules stay Glance's: a download from a host or port its import filtering
refuses fails the create with its words.
"""

from convergence.exceptions import StackValidationFailed
from convergence.resources import constraints as constr
from convergence.resources.cloud_resource import (
    CheckFailed, CloudResource, ResourceInError)
from convergence.resources.properties import BOOLEAN, INTEGER, LIST, MAP, \
    STRING, Schema

GLANCE_ID = ('^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}'
             '-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$')
DISK_FORMATS = ['ami', 'ari', 'aki', 'vhd', 'vhdx', 'vmdk', 'raw', 'qcow2',
                'vdi', 'iso', 'ploop']
CONTAINER_FORMATS = ['ami', 'ari', 'aki', 'bare', 'ovf', 'ova', 'docker']
# Properties that are the image's own fields or properties, set as they
# are (the others: location, members, active, extra_properties).
PLAIN = ('name', 'id', 'min_disk', 'min_ram', 'protected', 'disk_format',
         'container_format', 'tags', 'architecture', 'kernel_id',
         'os_distro', 'os_version', 'owner', 'visibility', 'ramdisk_id')
# Resource data keys: the extra properties and members set last (an
# update's plugin knows only the new ones).
EXTRA_KEYS, MEMBERS = 'extra_property_keys', 'members'


def _string(description: str, update_allowed: bool = True, **kw) -> Schema:
    return Schema(STRING, description, update_allowed=update_allowed, **kw)


class WebImage(CloudResource):
    """An image imported from a URL."""

    service_type = 'image'
    default_client_name = 'glance'
    entity_label = 'Image'
    support_version = '12.0.0'

    properties_schema = {
        'name': _string('Name for the image. The name of an image is not '
                        'unique to a Image Service node.', False),
        'id': _string('The image ID. Glance will generate a UUID if not '
                      'specified.', False),
        'min_disk': Schema(INTEGER, 'Amount of disk space (in GB) required '
                           'to boot image.', default=0,
                           constraints=[constr.Range(min=0)]),
        'min_ram': Schema(INTEGER, 'Amount of ram (in MB) required to boot '
                          'image.', default=0,
                          constraints=[constr.Range(min=0)]),
        'protected': Schema(BOOLEAN, 'Whether the image can be deleted.',
                            default=False, update_allowed=True),
        'disk_format': _string('Disk format of image.', False, required=True,
                               constraints=[constr.AllowedValues(
                                   DISK_FORMATS)]),
        'container_format': _string(
            'Container format of image.', False, required=True,
            constraints=[constr.AllowedValues(CONTAINER_FORMATS)]),
        'location': _string('URL where the data for this image already '
                            'resides.', False, required=True),
        'tags': Schema(LIST, 'List of image tags.', update_allowed=True),
        'architecture': _string('Operating system architecture.'),
        'kernel_id': _string('ID of image stored in Glance that should be '
                             'used as the kernel when booting an AMI-style '
                             'image.', constraints=[
                                 constr.AllowedPattern(GLANCE_ID)]),
        'os_distro': _string('The common name of the operating system '
                             'distribution in lowercase.'),
        'os_version': _string('Operating system version as specified by '
                              'the distributor.'),
        'owner': _string('Owner of the image.'),
        'extra_properties': Schema(MAP, 'Arbitrary properties to associate '
                                   'with the image.', default={},
                                   update_allowed=True),
        'visibility': _string('Scope of image accessibility.',
                              default='private', constraints=[
                                  constr.AllowedValues(['public', 'private',
                                                        'community',
                                                        'shared'])]),
        'ramdisk_id': _string('ID of image stored in Glance that should be '
                              'used as the ramdisk when booting an AMI-style '
                              'image.', constraints=[
                                  constr.AllowedPattern(GLANCE_ID)]),
        'active': Schema(BOOLEAN, 'Activate or deactivate the image. '
                         'Requires Admin Access.', default=True,
                         update_allowed=True),
        'members': Schema(LIST, 'List of additional members that are '
                          'permitted to read the image.',
                          update_allowed=True, schema=Schema(STRING)),
    }

    @classmethod
    def check_properties(cls, resource_name: str, props: dict) -> None:
        container = props.get('container_format')
        if container in ('ami', 'ari', 'aki') and \
                props.get('disk_format') != container:
            raise StackValidationFailed(
                "Invalid mix of disk and container formats. When setting a "
                "disk or container format to one of 'aki', 'ari', or 'ami', "
                "the container and disk formats must match.")
        if props.get('members') and props.get('visibility') != 'shared':
            raise StackValidationFailed(
                'members property should only be specified for visibility '
                'with value shared.')

    def images(self):
        return self.cloud().image

    def fetch(self) -> dict | None:
        image = self.images().show(self.resource_id)
        if image is not None and image.get('status') == 'deleted':
            return None
        return image

    def handle_create(self):
        props = self.properties
        body = {k: props[k] for k in PLAIN if props.get(k) is not None}
        body.update(props.get('extra_properties') or {})
        images = self.images()
        image_id = images.create(body)['id']
        self.resource_id_set(image_id)
        images.import_from_url(image_id, props['location'])
        for member in props.get('members') or ():
            images.member(image_id, member, True)
        self.data_set(EXTRA_KEYS, sorted(props.get('extra_properties') or {}))
        self.data_set(MEMBERS, sorted(props.get('members') or ()))
        return True

    def check_create_complete(self, token) -> bool:
        image = self.existing()
        status = image.get('status')
        if status == 'killed':
            raise ResourceInError(status)
        if status == 'queued':
            self._raise_failed_import()
        if self.properties['active']:
            return status == 'active'
        if status == 'active':
            self.images().set_active(self.resource_id, False)
            return True
        return status == 'deactivated'

    def _raise_failed_import(self) -> None:
        """A queued image whose import task failed: Glance's reason."""
        for task in self.images().tasks(self.resource_id):
            if task.get('status') == 'failure':
                raise ResourceInError('queued', task.get('message')
                                      or 'Unknown')

    def handle_update(self, new_properties: dict, prop_diff: dict):
        # The acting plugin has the new properties only: what was set
        # before is Glance's (tags) or the resource data's.
        images, image_id = self.images(), self.resource_id
        if prop_diff.get('active') is False:
            images.set_active(image_id, False)
        fields = {k: v for k, v in prop_diff.items()
                  if k in PLAIN and k != 'tags'}
        changes = {k: v for k, v in fields.items() if v is not None}
        shown = self.existing()
        removed = [k for k, v in fields.items() if v is None and k in shown]
        if 'extra_properties' in prop_diff:
            new_extra = prop_diff['extra_properties'] or {}
            changes.update(new_extra)
            removed += [k for k in self.data_get(EXTRA_KEYS, [])
                        if k not in new_extra and k in shown]
            self.data_set(EXTRA_KEYS, sorted(new_extra))
        if changes or removed:
            images.update(image_id, changes, tuple(removed))
        if 'tags' in prop_diff:
            self._change_list(images.tag, shown.get('tags'),
                              prop_diff['tags'])
        if 'members' in prop_diff:
            self._change_list(images.member, self.data_get(MEMBERS),
                              prop_diff['members'])
            self.data_set(MEMBERS, sorted(prop_diff['members'] or ()))
        return {'reactivate': prop_diff.get('active') is True}

    def _change_list(self, call, before, after) -> None:
        before, after = set(before or ()), set(after or ())
        for item in sorted(before - after):
            call(self.resource_id, item, False)
        for item in sorted(after - before):
            call(self.resource_id, item, True)

    def check_update_complete(self, token) -> bool:
        if token and token.get('reactivate'):
            self.images().set_active(self.resource_id, True)
        return True

    def handle_delete(self):
        if self.resource_id is None:
            return None
        return self.images().delete(self.resource_id) or None

    def handle_check(self):
        status = self.existing().get('status')
        expected = 'active' if self.properties['active'] else 'deactivated'
        if status != expected:
            raise CheckFailed('status', expected, status)

    def _resolve_attribute(self, name: str) -> object:
        return None
