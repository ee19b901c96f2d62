"""A server's images: in a stack snapshot, and before a delete whose
deletion policy is "Snapshot" (``ServerSnapshots``, mixed into
OS::Nova::Server).

As Heat's Server: a stack snapshot asks Nova for an image of the server
(``createImage``) and waits until Glance has it ``active`` and Nova has
finished uploading it; the image's id is the resource's
``snapshot_image_id``.  A restore gives the server that image as its
``image`` property, so a server kept in place is rebuilt on it (or
replaced, per ``image_update_policy``) and one made anew boots from it.
Deleting the stack snapshot deletes the image.  A server whose deletion
policy is "Snapshot" is imaged the same way and then deleted; the image
stays (a failed server is deleted without one, as in Heat).
"""

# Where the server's data keeps its last snapshot's image.
SNAPSHOT_IMAGE = 'snapshot_image_id'
# Nova's task states while an image of the server is still being made.
TAKING_IMAGE = frozenset({'image_snapshot', 'image_snapshot_pending',
                          'image_pending_upload', 'image_uploading'})
# Glance's states of an image that will never become active.
IMAGE_LOST = frozenset({'killed', 'deleted', 'pending_delete'})
# The token of a "Snapshot" delete: the image waited for, then the delete.
IMAGE, DELETING = 'image', 'deleting'


class ServerSnapshots:
    """The snapshot hooks of a server plugin (``compute``, ``cloud``,
    ``show_resource`` and the delete hooks are the server's)."""

    def handle_snapshot(self) -> str:
        return self._take_image()

    def check_snapshot_complete(self, image_id: str) -> bool:
        return self._image_taken(image_id)

    def handle_delete_snapshot(self, entry: dict) -> None:
        """The stack snapshot is deleted: so is its image (gone already
        is fine)."""
        image_id = (entry.get('resource_data') or {}).get(SNAPSHOT_IMAGE)
        if image_id:
            self.cloud().image.delete(image_id)

    @classmethod
    def restored_properties(cls, properties: dict, entry: dict) -> dict:
        """The goal properties of a restore: the snapshot's image, when
        the snapshot took one."""
        image_id = (entry.get('resource_data') or {}).get(SNAPSHOT_IMAGE)
        if not image_id:
            return properties
        return dict(properties, image=image_id)

    def handle_snapshot_delete(self, state: tuple) -> dict:
        if state[1] != 'FAILED' and self.resource_id:
            return {IMAGE: self._take_image()}
        return {DELETING: self.handle_delete()}

    def check_snapshot_delete_complete(self, token: dict) -> bool:
        if DELETING not in token:
            if not self._image_taken(token[IMAGE]):
                return False
            token[DELETING] = self.handle_delete()
        return self.check_delete_complete(token[DELETING])

    def _take_image(self) -> str:
        made = self.compute().action(
            'server', self.resource_id, 'createImage',
            {'name': self.physical_resource_name()})
        image_id = made['image_id']
        self.data_set(SNAPSHOT_IMAGE, image_id)
        return image_id

    def _image_taken(self, image_id: str) -> bool:
        """Whether the image is active and the server done with it.

        Raises:
            Exception: the image is gone or will never be active (Heat's
                Error naming its status).
        """
        image = self.cloud().image.show(image_id)
        status = 'deleted' if image is None else image.get(
            'status', '').lower()
        if status in IMAGE_LOST:
            raise Exception('Snapshot image %s is %s' % (image_id, status))
        if status != 'active':
            return False
        shown = self.show_resource() or {}
        return shown.get('OS-EXT-STS:task_state') not in TAKING_IMAGE
