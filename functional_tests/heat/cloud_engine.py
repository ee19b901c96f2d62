"""convergence-all as the orchestration service of a local cloud, up until
its stdin closes (for functional_tests/heat/cloud_run.sh).

usage: python -m functional_tests.heat.cloud_engine [OPT=VALUE...]

Starts one convergence-all (the ``[DEFAULT]`` options given added) with
``[paste_deploy] flavor = keystone`` and ``[keystone_authtoken]`` of the
cloud local_cloud.get() finds, puts it into that cloud's catalog as the
``orchestration`` service (refused when the catalog has one: another Heat
serves that cloud), prints ``<endpoint template> <config file>`` on one
line, serves until stdin is closed, then takes it out of the catalog and
stops it.
"""

import signal
import sys

from functional_tests.cloud import identity
from functional_tests.cloud import local_cloud
from functional_tests import server


def main(argv: list[str]) -> int:
    options = dict(arg.split('=', 1) for arg in argv)
    cloud = local_cloud.get()
    admin = cloud.admin.session()
    fixture = server.ServerFixture(config=options, sections={
        'paste_deploy': {'flavor': 'keystone'},
        'keystone_authtoken': cloud.authtoken()})
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    fixture.setUp()
    try:
        url = fixture.base_url + '/v1/$(project_id)s'
        service = identity.add_service(admin, 'convergence',
                                       'orchestration', url)
        try:
            print(url, fixture.config_path, flush=True)
            sys.stdin.read()
        finally:
            identity.remove_service(admin, service)
    except identity.CatalogTaken as err:
        print('cloud_engine: %s' % err, file=sys.stderr)
        return 1
    finally:
        fixture.cleanUp()
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
