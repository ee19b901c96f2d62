"""An orchestration service for a local cloud, up until its stdin closes
(for functional_tests/heat/cloud_run.sh).

usage: python -m functional_tests.heat.cloud_engine ours|upstream [OPT=VALUE...]

``ours``: one convergence-all (the ``[DEFAULT]`` options given added) with
``[paste_deploy] flavor = keystone``, ``[keystone_authtoken]`` of the
cloud local_cloud.get() finds and ``[trustee]`` a user made for the run.
``upstream``: Heat 27.0.1 from the Heat venv
(functional_tests/cloud/heat_service.py; our own cloud only, whose vhost
and databases it shares).  Either is put into the cloud's catalog as
its ``orchestration`` service (refused when the catalog has one already:
another Heat serves that cloud); then ``<endpoint template>`` is printed on
one line, and when stdin closes it is taken out of the catalog and stopped.
"""

import signal
import sys

import fixtures

from functional_tests.cloud import heat_service
from functional_tests.cloud import identity
from functional_tests.cloud import local_cloud
from functional_tests import processes
from functional_tests import server

ENGINES = ('ours', 'upstream')


class _Ours(fixtures.Fixture):
    """A user for ``[trustee]`` (local_cloud.TrusteeUser: the cloud
    resource types act for the stack's user through a trust), the
    convergence-all, and its entry in the catalog; undone in reverse."""

    def __init__(self, cloud, options: dict):
        super().__init__()
        self.cloud, self.options = cloud, options

    def _setUp(self):
        trustee = self.useFixture(local_cloud.TrusteeUser(self.cloud,
                                                          'conv-heat'))
        engine = self.useFixture(server.ServerFixture(
            config=self.options, sections={
                'paste_deploy': {'flavor': 'keystone'},
                'keystone_authtoken': self.cloud.authtoken(),
                'trustee': trustee.options()}))
        self.url = engine.base_url + '/v1/$(project_id)s'
        service = identity.add_service(self.cloud.admin.session(),
                                       'convergence', 'orchestration',
                                       self.url)
        self.addCleanup(identity.remove_service, self.cloud.admin.session(),
                        service)


def _ours(cloud, options: dict):
    fixture = _Ours(cloud, options)
    try:
        fixture.setUp()
    except fixtures.MultipleExceptions as errors:
        # what went wrong first (CatalogTaken, say), once cleaned up
        raise errors.args[0][1].with_traceback(errors.args[0][2])
    return fixture, fixture.url


def _upstream(cloud, options: dict):
    if options:
        raise heat_service.HeatServiceFailed(
            'options for upstream Heat are not taken: %s' % ', '.join(options))
    if cloud.layout is None:
        raise heat_service.HeatServiceFailed(
            'upstream Heat runs on our own cloud only, not on the cloud of '
            '%s' % local_cloud.OPENRC_ENV)
    fixture = heat_service.UpstreamHeatService(
        cloud.layout, processes.console_script('uwsgi'))
    fixture.setUp()
    return fixture, fixture.url


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ENGINES:
        print(__doc__.strip().splitlines()[3], file=sys.stderr)
        return 2
    options = dict(arg.split('=', 1) for arg in argv[1:])
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    start = {'ours': _ours, 'upstream': _upstream}[argv[0]]
    try:
        fixture, url = start(local_cloud.get(), options)
    except (identity.CatalogTaken, heat_service.HeatServiceFailed) as err:
        print('cloud_engine: %s' % err, file=sys.stderr)
        return 1
    try:
        print(url, flush=True)
        sys.stdin.read()
    finally:
        fixture.cleanUp()
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
