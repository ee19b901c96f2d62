"""What every test cloud holds before a test runs, found or made by name.

The names are those of /work/shared/tools/minicloud too, so a test finds
them by name on either cloud: image ``tiny`` (1 MiB raw), flavors
``m1.tiny`` and ``m1.small``, the external flat network ``public`` with
``public-subnet``, the shared network ``private`` with ``private-subnet``,
router ``router1`` joining them, and the Cinder volume type ``fake`` (the
fake backend; where it is missing, the cloud's default type).
"""

import dataclasses
import io

IMAGE = 'tiny'
IMAGE_BYTES = 1024 * 1024
FLAVORS = {'m1.tiny': dict(ram=64, disk=1, vcpus=1),
           'm1.small': dict(ram=512, disk=1, vcpus=1)}
PUBLIC, PUBLIC_SUBNET, PUBLIC_CIDR = 'public', 'public-subnet', \
    '203.0.113.0/24'
PRIVATE, PRIVATE_SUBNET, PRIVATE_CIDR = 'private', 'private-subnet', \
    '10.0.0.0/24'
ROUTER = 'router1'
VOLUME_TYPE = 'fake'


@dataclasses.dataclass(frozen=True)
class Seed:
    """The ids of the seed, as tests and tempest.conf need them."""
    image: str
    flavor: str
    small_flavor: str
    public_network: str
    public_subnet: str
    private_network: str
    private_subnet: str
    router: str
    volume_type: str


class SeedMissing(LookupError):
    """A cloud lacks part of the seed; names it."""


def find(conn) -> Seed:
    """The seed of a cloud that has one (ours or minicloud)."""
    def need(kind, found, name):
        if found is None:
            raise SeedMissing('the cloud has no %s named %r' % (kind, name))
        return found.id
    return Seed(
        image=need('image', conn.image.find_image(IMAGE), IMAGE),
        flavor=need('flavor', conn.compute.find_flavor('m1.tiny'),
                    'm1.tiny'),
        small_flavor=need('flavor', conn.compute.find_flavor('m1.small'),
                          'm1.small'),
        public_network=need('network', conn.network.find_network(PUBLIC),
                            PUBLIC),
        public_subnet=need('subnet', conn.network.find_subnet(PUBLIC_SUBNET),
                           PUBLIC_SUBNET),
        private_network=need('network', conn.network.find_network(PRIVATE),
                             PRIVATE),
        private_subnet=need('subnet', conn.network.find_subnet(
            PRIVATE_SUBNET), PRIVATE_SUBNET),
        router=need('router', conn.network.find_router(ROUTER), ROUTER),
        volume_type=_volume_type(conn))


def _volume_type(conn) -> str:
    found = conn.block_storage.find_type(VOLUME_TYPE)
    return (found or conn.block_storage.get_type_default()).id


def ensure(conn) -> Seed:
    """Make whatever part of the seed is missing, as admin; the seed."""
    if conn.image.find_image(IMAGE) is None:
        conn.image.create_image(
            name=IMAGE, disk_format='raw', container_format='bare',
            visibility='public', data=io.BytesIO(bytes(IMAGE_BYTES)))
    for name, size in FLAVORS.items():
        if conn.compute.find_flavor(name) is None:
            conn.compute.create_flavor(name=name, **size)
    public = conn.network.find_network(PUBLIC) or conn.network.create_network(
        name=PUBLIC, is_router_external=True, is_shared=True,
        provider_network_type='flat', provider_physical_network=PUBLIC)
    if conn.network.find_subnet(PUBLIC_SUBNET) is None:
        conn.network.create_subnet(
            name=PUBLIC_SUBNET, network_id=public.id, ip_version=4,
            cidr=PUBLIC_CIDR, is_dhcp_enabled=False,
            gateway_ip=PUBLIC_CIDR.replace('0/24', '1'))
    private = conn.network.find_network(PRIVATE) or \
        conn.network.create_network(name=PRIVATE, is_shared=True)
    subnet = conn.network.find_subnet(PRIVATE_SUBNET) or \
        conn.network.create_subnet(name=PRIVATE_SUBNET,
                                   network_id=private.id, ip_version=4,
                                   cidr=PRIVATE_CIDR)
    if conn.network.find_router(ROUTER) is None:
        router = conn.network.create_router(
            name=ROUTER, external_gateway_info={'network_id': public.id})
        conn.network.add_interface_to_router(router, subnet_id=subnet.id)
    if conn.block_storage.find_type(VOLUME_TYPE) is None:
        conn.block_storage.create_type(
            name=VOLUME_TYPE,
            extra_specs={'volume_backend_name': VOLUME_TYPE})
    return find(conn)
