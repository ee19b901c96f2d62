"""AWS::EC2::Instance: a Nova server with Heat 27's AWS properties.

Everything Nova does for it is OS::Nova::Server's code: the instance acts
through a Server plugin (``server()``) sharing its context (resource id,
data), given the server properties its AWS properties are
(``ec2_instance_props``).  So the create is the server's (its networks, an
internal port on SubnetId deleted with it, security groups, block devices,
ACTIVE or Nova's fault), then each of ``Volumes`` is attached at its
Device and waited for ``in-use``, as Heat's instance does.  The user_data
is Heat's HEAT_CFNTOOLS multipart with the resource's template Metadata as
cfn-init-data (``cloud_init.cfntools``).

In place, as Heat: InstanceType resizes (and confirms), Tags replace the
server's metadata, NetworkInterfaces and SubnetId detach and attach
interfaces (the server's networks update); any other change replaces the
instance.  A delete of a server already gone succeeds; suspend and resume
are the server's.  A check fails an instance that is not ACTIVE with
Heat's words and compares InstanceType, ImageId and Tags with Nova's
(decision 26).

Heat's unimplemented properties (DisableApiTermination, KernelId,
Monitoring, PlacementGroupName, PrivateIpAddress, RamDiskId,
SourceDestCheck, Tenancy; Ebs Iops and VolumeType; NoDevice, VirtualName)
are refused by name with Heat's "Property <name> not implemented yet".
"""

from convergence.resources import live_state
from convergence.resources.aws import ec2_instance_props as props_map
from convergence.resources.aws import ec2_instance_schema as s
from convergence.resources.cinder import volume_attachment
from convergence.resources.cloud_resource import CloudResource
from convergence.resources.nova import cloud_init
from convergence.resources.nova.server import Server

# The server's properties a check and the next update compare, by the
# instance property they come from.
_LIVE = {'flavor': s.INSTANCE_TYPE, 'image': s.IMAGE_ID, 'metadata': s.TAGS}


class InstanceNotActive(Exception):
    """Heat's check of an instance Nova does not show ACTIVE."""

    def __init__(self, status):
        super().__init__('Instance is not ACTIVE (was: %s)' % status)


InstanceNotActive.__name__ = 'Error'


class Instance(CloudResource):
    """An EC2-style instance on Nova."""

    service_type = 'compute'
    default_client_name = 'nova'
    entity_label = 'Instance'
    support_version = '2014.1'
    properties_schema = s.PROPERTIES
    attributes_schema = s.ATTRIBUTES
    attribute_types = s.ATTRIBUTE_TYPES
    reads_template_metadata = True

    @classmethod
    def check_properties(cls, resource_name: str, props: dict) -> None:
        props_map.check(resource_name, props)

    def server(self, user_data: str | None = None) -> Server:
        """The OS::Nova::Server plugin acting for this instance."""
        server = Server(self.name, props_map.server_properties(
            self.properties, user_data), self.context)
        if self.previous_properties is not None:
            server.previous_properties = props_map.server_properties(
                self.previous_properties)
        return server

    def fetch(self) -> dict | None:
        return self.server().fetch()

    # --- create ---

    def handle_create(self):
        user_data = cloud_init.cfntools(self.properties.get(s.USER_DATA),
                                        self.context.metadata,
                                        props_map.INSTANCE_USER)
        self.server(user_data).handle_create()
        return {'active': False, 'volumes': [
            {'volume': volume, 'device': device, 'attached': False}
            for volume, device in props_map.volumes(self.properties)]}

    def check_create_complete(self, token) -> bool:
        server = self.server()
        if not token['active']:
            token['active'] = server.check_create_complete(None)
            return token['active'] and not token['volumes']
        return self._attach_volumes(server, token['volumes'])

    def _attach_volumes(self, server: Server, volumes: list[dict]) -> bool:
        """One attach asked per call, then each waited for in turn."""
        for volume in volumes:
            if not volume['attached']:
                volume_id = server.lookup('cinder.volume', volume['volume'],
                                          s.VOLUMES)['id']
                self.cloud().compute.attach_volume(
                    self.resource_id, volume_id, volume['device'])
                volume.update(attached=True, id=volume_id)
                return False
        return all(volume_attachment.attached(self.cloud(), volume['id'])
                   for volume in volumes)

    # --- update, delete, suspend, resume ---

    def handle_update(self, new_properties: dict, prop_diff: dict):
        before = props_map.server_properties(self.properties_before())
        after = props_map.server_properties(new_properties)
        server = self.server()
        server.properties = after
        server.previous_properties = before
        return server.handle_update(after, {
            key: value for key, value in after.items()
            if before.get(key) != value})

    def check_update_complete(self, token) -> bool:
        return self.server().check_update_complete(token)

    def handle_delete(self):
        return self.server().handle_delete()

    def check_delete_complete(self, token) -> bool:
        return self.server().check_delete_complete(token)

    def handle_suspend(self):
        return self.server().handle_suspend()

    def check_suspend_complete(self, token) -> bool:
        return self.server().check_suspend_complete(token)

    def handle_resume(self):
        return self.server().handle_resume()

    def check_resume_complete(self, token) -> bool:
        return self.server().check_resume_complete(token)

    # --- check, and reality (live_state) in the instance's words ---

    def handle_check(self):
        shown = self.existing()
        if shown.get('status') != 'ACTIVE':
            raise InstanceNotActive(shown.get('status'))
        live_state.check(self, shown)

    def expected_live(self) -> dict:
        expected = self.server().expected_live()
        return {_LIVE[key]: self._in_aws_words(key, value)
                for key, value in expected.items() if key in _LIVE}

    def live_properties(self, shown: dict) -> dict:
        live = self.server().live_properties(shown)
        return {_LIVE[key]: self._in_aws_words(key, value)
                for key, value in live.items() if key in _LIVE}

    @staticmethod
    def _in_aws_words(key: str, value):
        if key == 'metadata':
            return [{s.KEY: k, s.VALUE: v}
                    for k, v in sorted((value or {}).items())]
        return value

    # --- attributes ---

    def _resolve_attribute(self, name: str) -> object:
        shown = self.attributes()
        if shown is None:
            return None
        if name == 'AvailabilityZone':
            return (shown.get('OS-EXT-AZ:availability_zone')
                    or self.properties.get(s.AVAILABILITY_ZONE))
        if name in ('PrivateDnsName', 'PublicDnsName', 'PrivateIp',
                    'PublicIp'):
            return props_map.first_address(shown.get('addresses'))
        return None
