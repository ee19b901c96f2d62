"""Tests against real OpenStack services this package starts (Keystone).

Keystone comes from PyPI in its own virtualenv (functional_tests/cloud/
keystone.py builds it once, ~1 min) on the machine's MariaDB.  That takes a
while and needs the network once, so the functional suite leaves them out:
they are collected only when ``CONVERGENCE_CLOUD_TESTS`` is set, as
``tox -e cloud-keystone`` does::

    CONVERGENCE_CLOUD_TESTS=1 stestr --test-path ./functional_tests \\
        run --concurrency 1 functional_tests.cloud
"""

from functional_tests import opt_in

ENABLE_ENV = 'CONVERGENCE_CLOUD_TESTS'

load_tests = opt_in.loader(ENABLE_ENV, __file__)
