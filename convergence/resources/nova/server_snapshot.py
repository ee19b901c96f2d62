"""A server in a stack snapshot: an image of it, restored by a rebuild.

As Heat's Server: a stack snapshot asks Nova for an image of the server
(``createImage``) and waits until Glance has it ``active`` and Nova has
finished uploading it; the image's id is the resource's
``snapshot_image_id``.  A restore gives the server that image as its
``image`` property, so a server kept in place is rebuilt on it (or
replaced, per ``image_update_policy``) and one made anew boots from it.
Deleting the stack snapshot deletes the image.
"""

# Where the server's data keeps its last snapshot's image.
SNAPSHOT_IMAGE = 'snapshot_image_id'
# Nova's task states while an image of the server is still being made.
TAKING_IMAGE = frozenset({'image_snapshot', 'image_snapshot_pending',
                          'image_pending_upload', 'image_uploading'})
# Glance's states of an image that will never become active.
IMAGE_LOST = frozenset({'killed', 'deleted', 'pending_delete'})


def take(server) -> str:
    """Ask Nova for an image of ``server`` (a Server plugin); its id."""
    made = server.compute().action(
        'server', server.resource_id, 'createImage',
        {'name': server.physical_resource_name()})
    image_id = made['image_id']
    server.data_set(SNAPSHOT_IMAGE, image_id)
    return image_id


def taken(server, image_id: str) -> bool:
    """Whether the image is active and the server done with it.

    Raises:
        Exception: the image is gone or will never be active (Heat's
            Error naming its status).
    """
    image = server.cloud().image.show(image_id)
    status = 'deleted' if image is None else image.get('status', '').lower()
    if status in IMAGE_LOST:
        raise Exception('Snapshot image %s is %s' % (image_id, status))
    if status != 'active':
        return False
    shown = server.show_resource() or {}
    return shown.get('OS-EXT-STS:task_state') not in TAKING_IMAGE


def restored(properties: dict, entry: dict) -> dict:
    """The goal properties of a restore: the snapshot's image, when the
    snapshot took one."""
    image_id = (entry.get('resource_data') or {}).get(SNAPSHOT_IMAGE)
    if not image_id:
        return properties
    return dict(properties, image=image_id)


def forget(server, entry: dict) -> None:
    """The stack snapshot is deleted: so is its image (gone already is
    fine)."""
    image_id = (entry.get('resource_data') or {}).get(SNAPSHOT_IMAGE)
    if image_id:
        server.cloud().image.delete(image_id)
