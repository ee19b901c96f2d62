"""Nova's fake virt driver, with server snapshots that reach Glance.

``FakeDriverWithoutFakeNodes`` (shipped in the nova wheel) marks a
snapshot's task state and uploads nothing, so the image Nova made for it
stays ``queued`` and whoever waits for it (Heat's stack snapshot, a user's
``openstack server image create --wait``) waits for good.  Here the
snapshot uploads a small blank disk, as a real driver uploads the
server's, and the image becomes ``active``.
"""

import io

from nova.image import glance
from nova.virt import fake

# Bytes uploaded as a server's disk.
SNAPSHOT_SIZE = 1024


class FakeDriver(fake.FakeDriverWithoutFakeNodes):

    def snapshot(self, context, instance, image_id, update_task_state):
        super().snapshot(context, instance, image_id, update_task_state)
        metadata = {'disk_format': 'raw', 'container_format': 'bare',
                    'properties': {'image_location': 'snapshot',
                                   'image_state': 'available',
                                   'owner_id': instance.project_id}}
        glance.API().update(context, image_id, metadata,
                            io.BytesIO(bytes(SNAPSHOT_SIZE)),
                            purge_props=False)
