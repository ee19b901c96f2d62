"""A multi-engine deployment for run.sh, up until its stdin closes.

usage: python -m functional_tests.heat.deploy mariadb|postgresql|stock-heat-api
       [OPT=VALUE...]

Starts functional_tests.deployment's matrix deployment of that name (three
convergence-engine processes and convergence-api, or upstream heat-api in
front of two engines, on a private RabbitMQ vhost and database; the
``[DEFAULT]`` options given are added), prints
``<endpoint> <config file>`` on one line, serves until stdin is closed
(run.sh closes it when its tests are done, or dies) and then stops every
process and drops the vhost and the database.
"""

import signal
import sys

from functional_tests import deployment


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in deployment.DEPLOYMENTS[1:]:
        print('\n'.join(__doc__.strip().splitlines()[2:4]), file=sys.stderr)
        return 2
    options = dict(arg.split('=', 1) for arg in argv[1:])
    fixture = deployment.matrix_deployment(argv[0], options)
    # SIGTERM from run.sh's clean-up: stop as if stdin had closed.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    fixture.setUp()
    try:
        print(fixture.endpoint, fixture.config_path, flush=True)
        sys.stdin.read()
    finally:
        fixture.cleanUp()
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
