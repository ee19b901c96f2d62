"""The cloud benchmark's stack: N servers, each with a port and a volume.

Pure and standard-library only, so that the template both engines get and
what the floor (bench/cloud_floor.py) makes by hand are one definition.

Per index i, four resources (Heat's own types, which both engines have):

* ``port<i>``: an ``OS::Neutron::Port`` on the network named ``network``;
* ``vol<i>``: a 1 GiB ``OS::Cinder::Volume``;
* ``server<i>``: an ``OS::Nova::Server`` booted from ``image`` with
  ``flavor`` on that port, with metadata ``{bench: <value>}``;
* ``att<i>``: an ``OS::Cinder::VolumeAttachment`` of the volume to the
  server.

The update changes every server's metadata value: Nova's metadata is
updated in place by both engines (Heat's Server has ``metadata``
``update_allowed``; ours sets it with one ``set_metadata`` call), nothing
is replaced, and the other three resources are unchanged.
"""

HOT_VERSION = '2018-08-31'
VOLUME_SIZE_GB = 1
METADATA_KEY = 'bench'
VALUE_BEFORE, VALUE_AFTER = 'v1', 'v2'
KINDS = ('port', 'vol', 'server', 'att')


def name(kind: str, index: int) -> str:
    if kind not in KINDS:
        raise ValueError('unknown kind %r (one of %s)' % (
            kind, ', '.join(KINDS)))
    return '%s%03d' % (kind, index)


def template(n: int, image: str, flavor: str, network: str,
             value: str = VALUE_BEFORE) -> dict:
    """The HOT template of ``n`` servers with a port and a volume each."""
    if n < 1:
        raise ValueError('a cloud workload needs at least 1 server, not %d'
                         % n)
    resources = {}
    for i in range(n):
        port, vol, server = (name(k, i) for k in ('port', 'vol', 'server'))
        resources[port] = {'type': 'OS::Neutron::Port',
                           'properties': {'network': network}}
        resources[vol] = {'type': 'OS::Cinder::Volume', 'properties': {
            'size': VOLUME_SIZE_GB, 'name': vol}}
        resources[server] = {'type': 'OS::Nova::Server', 'properties': {
            'image': image, 'flavor': flavor, 'name': server,
            'user_data_format': 'RAW',
            'networks': [{'port': {'get_resource': port}}],
            'metadata': {METADATA_KEY: value}}}
        resources[name('att', i)] = {
            'type': 'OS::Cinder::VolumeAttachment', 'properties': {
                'instance_uuid': {'get_resource': server},
                'volume_id': {'get_resource': vol}}}
    return {'heat_template_version': HOT_VERSION, 'resources': resources}


def resources_per_server() -> int:
    return len(KINDS)


def quotas(n: int) -> dict:
    """What a project needs to hold one workload of ``n`` (with room for
    a failed round's leftovers until they are swept), by service."""
    room = 2 * n + 10
    return {'compute': {'instances': room, 'cores': room,
                        'ram': room * 512},
            'volume': {'volumes': room, 'gigabytes': room * VOLUME_SIZE_GB},
            'network': {'port': room + 10}}
