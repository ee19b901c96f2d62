"""The compute, block storage, image and identity ports' implementations,
real and twin, method by method."""

import testtools

from convergence import cloud_ports
from convergence.clients import block_storage
from convergence.clients import compute
from convergence.clients import identity
from convergence.clients import image
from convergence.clients import memory
from convergence.tests.unit.db.test_ports import mismatches


class ComputePortsTest(testtools.TestCase):

    def test_both_computes_satisfy_ports_compute_api(self):
        self.assertEqual([], mismatches(cloud_ports.ComputeAPI,
                                        compute.SdkCompute(None, 0)))
        self.assertEqual([], mismatches(cloud_ports.ComputeAPI,
                                        memory.InMemoryCloud().compute))

    def test_both_block_storages_satisfy_ports_block_storage_api(self):
        self.assertEqual([], mismatches(cloud_ports.BlockStorageAPI,
                                        block_storage.SdkBlockStorage(None,
                                                                      0)))
        self.assertEqual([], mismatches(cloud_ports.BlockStorageAPI,
                                        memory.InMemoryCloud().block_storage))

    def test_both_images_satisfy_ports_image_api(self):
        self.assertEqual([], mismatches(cloud_ports.ImageAPI,
                                        image.SdkImage(None, 0)))
        self.assertEqual([], mismatches(cloud_ports.ImageAPI,
                                        memory.InMemoryCloud().image))

    def test_both_identities_satisfy_ports_identity_api(self):
        self.assertEqual([], mismatches(cloud_ports.IdentityAPI,
                                        identity.SdkIdentity(None, 0)))
        self.assertEqual([], mismatches(cloud_ports.IdentityAPI,
                                        memory.InMemoryCloud().identity))
