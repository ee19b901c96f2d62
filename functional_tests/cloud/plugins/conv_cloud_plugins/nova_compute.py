"""nova-compute with this package's virt driver (``nova_driver``).

Nova loads its compute driver from the ``nova.virt`` package only
(``compute_driver = fake.FakeDriver`` means ``nova.virt.fake``), so the
driver is put there under ``DRIVER_MODULE`` before nova-compute starts,
and nova.conf names it ``conv_cloud_fake.FakeDriver``.
"""

import sys

# The driver's module name inside nova.virt.
DRIVER_MODULE = 'conv_cloud_fake'


def main():
    # nova's own start-up first: its command module prepares the process
    # before any other part of nova is imported.
    from nova.cmd import compute

    from conv_cloud_plugins import nova_driver
    sys.modules['nova.virt.' + DRIVER_MODULE] = nova_driver
    return compute.main()
