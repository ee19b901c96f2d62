"""The cloud's own floor: the workload's servers, ports, volumes and
attachments made, updated and deleted straight through openstacksdk, every
server in a thread of its own (full parallelism), as fast as the cloud's
dependencies allow.

Per server, create: the port (the server needs its id) and the volume
(asynchronous) are asked for, then the server on the port; once the server
is ACTIVE and the volume available, the attachment, done when the volume
is in-use.  Update: one ``set_server_metadata`` call (Nova answers when it
is done).  Delete: the attachment, until the volume is available again;
then the server and the volume together, and the port once the server is
gone.  Waits poll every ``poll`` seconds.
"""

import concurrent.futures
import dataclasses
import time

from openstack import exceptions as sdk_exceptions

from bench import cloud_workload


class FloorFailed(Exception):
    """Something of the floor's went to an error status or timed out."""


@dataclasses.dataclass
class Made:
    """What the floor made for one index (ids)."""
    port: str
    volume: str
    server: str


class Floor:
    """The floor's phases on ``conn`` (an openstacksdk Connection of the
    project's member), with the seed's image, flavor and network ids."""

    def __init__(self, conn, image: str, flavor: str, network: str,
                 poll: float = 0.5, timeout: float = 900):
        self.conn, self.poll, self.timeout = conn, poll, timeout
        self.image, self.flavor, self.network = image, flavor, network
        self.made: list[Made] = []

    # --- the phases: each returns its wall seconds --------------------------

    def create(self, n: int) -> float:
        started = time.monotonic()
        self.made = self._each(self._create_one, range(n))
        return time.monotonic() - started

    def update(self) -> float:
        started = time.monotonic()
        self._each(self._update_one, self.made)
        return time.monotonic() - started

    def delete(self) -> float:
        started = time.monotonic()
        self._each(self._delete_one, self.made)
        self.made = []
        return time.monotonic() - started

    def _each(self, func, items) -> list:
        items = list(items)
        with concurrent.futures.ThreadPoolExecutor(max(1, len(items))) as ex:
            return list(ex.map(func, items))

    # --- one server's share ---------------------------------------------------

    def _create_one(self, index: int) -> Made:
        compute, storage = self.conn.compute, self.conn.block_storage
        port = self.conn.network.create_port(
            network_id=self.network, name=cloud_workload.name('port', index))
        volume = storage.create_volume(
            size=cloud_workload.VOLUME_SIZE_GB,
            name=cloud_workload.name('vol', index))
        server = compute.create_server(
            name=cloud_workload.name('server', index), image_id=self.image,
            flavor_id=self.flavor, networks=[{'port': port.id}],
            metadata={cloud_workload.METADATA_KEY:
                      cloud_workload.VALUE_BEFORE})
        made = Made(port.id, volume.id, server.id)
        self._until(lambda: compute.get_server(server.id).status, 'ACTIVE',
                    'server %s' % server.id)
        self._until(lambda: storage.get_volume(volume.id).status,
                    'available', 'volume %s' % volume.id)
        compute.create_volume_attachment(server.id, volume_id=volume.id)
        self._until(lambda: storage.get_volume(volume.id).status, 'in-use',
                    'volume %s' % volume.id)
        return made

    def _update_one(self, made: Made) -> None:
        self.conn.compute.set_server_metadata(
            made.server, **{cloud_workload.METADATA_KEY:
                            cloud_workload.VALUE_AFTER})

    def _delete_one(self, made: Made) -> None:
        compute, storage = self.conn.compute, self.conn.block_storage
        compute.delete_volume_attachment(made.server, made.volume)
        self._until(lambda: storage.get_volume(made.volume).status,
                    'available', 'volume %s' % made.volume)
        compute.delete_server(made.server)
        storage.delete_volume(made.volume)
        self._until_gone(lambda: compute.get_server(made.server),
                         'server %s' % made.server)
        self.conn.network.delete_port(made.port)
        self._until_gone(lambda: storage.get_volume(made.volume),
                         'volume %s' % made.volume)

    def _until(self, status, wanted: str, what: str) -> None:
        deadline = time.monotonic() + self.timeout
        while True:
            now = status()
            if now == wanted:
                return
            if now.lower() in ('error', 'error_deleting', 'error_attaching'):
                raise FloorFailed('%s went to %s' % (what, now))
            if time.monotonic() > deadline:
                raise FloorFailed('%s still %s after %gs, not %s' % (
                    what, now, self.timeout, wanted))
            time.sleep(self.poll)

    def _until_gone(self, get, what: str) -> None:
        def status():
            try:
                return get().status
            except sdk_exceptions.NotFoundException:
                return 'gone'
        self._until(status, 'gone', what)
