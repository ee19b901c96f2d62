"""OS::Cinder::VolumeAttachment: a volume attached to a server through
Nova, with Heat 27's properties.

A create waits until Cinder shows the volume ``in-use``; a delete detaches
and waits until Cinder shows it ``available`` and Nova no longer lists the
attachment (a server or volume already gone is no error).  An update
detaches from the old server and attaches as the new properties say, in
place, as Heat does.
"""

from convergence.resources import constraints as constr
from convergence.resources.cloud_resource import (
    CloudResource, ResourceInError, ResourceUnknownStatus)
from convergence.resources.properties import STRING, Schema

DETACH, ATTACH, ATTACHED = 'detach', 'attach', 'attached'


def attached(cloud, volume_id: str) -> bool:
    """Whether Cinder shows the volume attached (``in-use``); an attach
    that ended otherwise fails (AWS::EC2::Instance's Volumes wait so too).

    Raises:
        ResourceUnknownStatus: the volume is neither attaching nor in use.
    """
    volume = cloud.block_storage.show('volume', volume_id)
    status = None if volume is None else volume.get('status')
    if status in ('available', 'attaching', 'reserved'):
        return False
    if status != 'in-use':
        raise ResourceUnknownStatus('Volume attachment failed', str(status))
    return True


class VolumeAttachment(CloudResource):
    """The attachment of a Cinder volume to a Nova server."""

    service_type = 'volumev3'
    default_client_name = 'cinder'
    entity_label = 'Volume attachment'
    support_version = '2014.1'

    properties_schema = {
        'instance_uuid': Schema(STRING, 'The ID of the server to which the '
                                'volume attaches.', required=True,
                                update_allowed=True),
        'volume_id': Schema(STRING, 'The ID of the volume to be attached.',
                            required=True, update_allowed=True,
                            constraints=[constr.CustomConstraint(
                                'cinder.volume')]),
        'mountpoint': Schema(STRING, 'The location where the volume is '
                             'exposed on the instance. This assignment may '
                             'not be honored and it is advised that the path '
                             '/dev/disk/by-id/virtio-<VolumeId> be used '
                             'instead.', update_allowed=True),
    }

    def fetch(self) -> dict | None:
        return self.cloud().compute.show_attachment(
            self.properties['instance_uuid'], self.properties['volume_id'])

    def _volume_id(self, props: dict) -> str:
        return self.lookup('cinder.volume', props['volume_id'],
                           'volume_id')['id']

    def _attach(self, props: dict) -> None:
        made = self.cloud().compute.attach_volume(
            props['instance_uuid'], self._volume_id(props),
            props.get('mountpoint') or None)
        self.resource_id_set(made['id'])

    def handle_create(self):
        self._attach(self.properties)
        return self._volume_id(self.properties)

    def check_create_complete(self, token) -> bool:
        return self._attached(token)

    def resume_create(self):
        return self._volume_id(self.properties)

    def _attached(self, volume_id: str) -> bool:
        return attached(self.cloud(), volume_id)

    def _detach(self, server_id: str, volume_id: str) -> None:
        self.cloud().compute.detach_volume(server_id, volume_id)

    def _detached(self, server_id: str, volume_id: str) -> bool:
        volume = self.cloud().block_storage.show('volume', volume_id)
        status = None if volume is None else volume.get('status')
        if status == 'error_detaching':
            raise ResourceInError(status)
        if status in ('in-use', 'detaching'):
            return False
        return self.cloud().compute.show_attachment(server_id,
                                                    volume_id) is None

    def handle_delete(self):
        if self.resource_id is None:
            return None
        volume_id = self._volume_id(self.properties)
        self._detach(self.properties['instance_uuid'], volume_id)
        return (self.properties['instance_uuid'], volume_id)

    def check_delete_complete(self, token) -> bool:
        return not token or self._detached(*token)

    def handle_update(self, new_properties: dict, prop_diff: dict):
        before = self.properties_before()
        old = (before['instance_uuid'], self._volume_id(before))
        self._detach(*old)
        return {'phase': DETACH, 'old': old, 'new': new_properties}

    def check_update_complete(self, token) -> bool:
        if token['phase'] == DETACH:
            if self._detached(*token['old']):
                self._attach(token['new'])
                token['phase'] = ATTACH
            return False
        return self._attached(self._volume_id(token['new']))

    def handle_check(self):
        self.existing()
