"""Cinder's logging fake driver, with image transfers that touch no disk.

``FakeLoggingVolumeDriver`` (shipped in the cinder wheel) keeps volumes as
database rows only, but inherits the LVM driver's image copies, which run
qemu-img as root on a device that does not exist.  Here a volume made from
an image is a finished clone and a volume uploaded to an image sends a
small blank image, so both work as a user sees them.
"""

import io

from cinder.tests import fake_driver

# Bytes uploaded as the image of a volume.
UPLOADED_IMAGE_SIZE = 1024


class FakeVolumeDriver(fake_driver.FakeLoggingVolumeDriver):

    def clone_image(self, context, volume, image_location, image_meta,
                    image_service):
        # (model update, cloned): nothing to update, the copy is done
        return None, True

    def copy_image_to_volume(self, context, volume, image_service, image_id,
                             disable_sparse=False):
        """The volume has no bytes to fill."""

    def copy_image_to_encrypted_volume(self, context, volume, image_service,
                                       image_id):
        """The volume has no bytes to fill."""

    def copy_volume_to_image(self, context, volume, image_service,
                             image_meta):
        formats = {key: image_meta.get(key, default) for key, default in (
            ('disk_format', 'raw'), ('container_format', 'bare'))}
        image_service.update(context, image_meta['id'], formats,
                             io.BytesIO(bytes(UPLOADED_IMAGE_SIZE)))
