"""Fault tests: engines killed, services restarted, work cancelled mid-flight.

Real processes (3 convergence-engine + convergence-api, RabbitMQ, MariaDB or
PostgreSQL) and real faults; every wait is bounded and says what it was
waiting for.  They take minutes, so the functional suite leaves them out:
they are collected only when ``CONVERGENCE_FAULT_TESTS`` is set, as
``tox -e faults`` does::

    CONVERGENCE_FAULT_TESTS=1 stestr --test-path ./functional_tests \\
        run --concurrency 1 functional_tests.faults
"""

from functional_tests import opt_in

ENABLE_ENV = 'CONVERGENCE_FAULT_TESTS'

load_tests = opt_in.loader(ENABLE_ENV, __file__)
