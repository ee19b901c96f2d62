"""The local cloud's command line (``tools/cloud`` runs it)::

    python -m functional_tests.cloud start [--unless-openrc]
    python -m functional_tests.cloud status    # each service's pid
    python -m functional_tests.cloud memory    # resident memory per service
    python -m functional_tests.cloud stop [--purge]
    python -m functional_tests.cloud after     # what CONV_CLOUD_AFTER says
    python -m functional_tests.cloud tempest-conf PATH [--skip TEST ...]

The cloud is the one ``Layout.from_env()`` names (functional_tests/cloud/
layout.py: CONV_CLOUD_DIR, _DB_PREFIX, _VHOST, _PORT_OFFSET).
``after`` is what ``tox -e functional-cloud`` runs once the tests are done:
CONV_CLOUD_AFTER=keep (the default) leaves the cloud running for the next
run, ``stop`` stops it, ``purge`` stops it and drops its state.
"""

import argparse
import os
import sys

from functional_tests.cloud import cloud
from functional_tests.cloud import launcher
from functional_tests.cloud import local_cloud
from functional_tests.cloud import layout as layout_mod
from functional_tests.cloud import memory
from functional_tests.cloud import schemas
from functional_tests.cloud import tempest_conf
from functional_tests.cloud import venv

AFTER_ENV = 'CONV_CLOUD_AFTER'
AFTER_CHOICES = ('keep', 'stop', 'purge')


def _start(lay, args) -> int:
    openrc = os.environ.get(local_cloud.OPENRC_ENV)
    if args.unless_openrc and openrc:
        print('using the running cloud of %s=%s' % (
            local_cloud.OPENRC_ENV, openrc))
        return 0
    print('cloud in %s: databases %s*, vhost %s, Keystone at %s' % (
        lay.base, lay.db_prefix, lay.vhost, lay.auth_url))
    try:
        cloud.start(lay)
    except (launcher.ServiceFailed, schemas.SchemaFailed,
            venv.VenvUnavailable) as err:
        print('cloud start failed: %s' % err, file=sys.stderr)
        return 1
    return 0


def _status(lay, args) -> int:
    pids = cloud.status(lay)
    for name, pid in pids.items():
        print('%-17s %s' % (name, 'pid %d' % pid if pid else 'not running'))
    return 0 if all(pids.values()) else 3


def _memory(lay, args) -> int:
    usage = memory.by_service(cloud.service_launcher(lay))
    for name, (processes, rss) in usage.items():
        print('%-17s %3d processes %8.1f MiB' % (name, processes, rss))
    print('%-17s %3d processes %8.1f MiB' % (
        'total', sum(p for p, _ in usage.values()),
        sum(r for _, r in usage.values())))
    return 0


def _stop(lay, args) -> int:
    cloud.stop(lay, purge=args.purge)
    print('stopped%s' % (' and purged' if args.purge else ''))
    return 0


def _after(lay, args) -> int:
    if os.environ.get(local_cloud.OPENRC_ENV):
        print('the cloud of %s is not ours to stop' % local_cloud.OPENRC_ENV)
        return 0
    choice = os.environ.get(AFTER_ENV, 'keep')
    if choice not in AFTER_CHOICES:
        print('%s=%s: choose one of %s' % (AFTER_ENV, choice,
                                           ', '.join(AFTER_CHOICES)),
              file=sys.stderr)
        return 2
    if choice == 'keep':
        print('the cloud keeps running (%s=keep); stop it with '
              'tools/cloud stop' % AFTER_ENV)
        return 0
    cloud.stop(lay, purge=choice == 'purge')
    print('stopped%s (%s=%s)' % (
        ' and purged' if choice == 'purge' else '', AFTER_ENV, choice))
    return 0


def _tempest_conf(lay, args) -> int:
    tempest_conf.write(args.path, args.log_file or os.path.join(
        os.path.dirname(os.path.abspath(args.path)), 'tempest.log'),
        tuple(args.skip))
    print('wrote %s' % args.path)
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog='tools/cloud', description='The local OpenStack cloud of '
        "convergence's tests (Keystone, Placement, Glance, Nova, Neutron, "
        'Cinder).')
    commands = parser.add_subparsers(dest='command', required=True)
    start = commands.add_parser('start', help='start it, from nothing or '
                                'reusing what is there')
    start.add_argument('--unless-openrc', action='store_true',
                       help='do nothing when %s names a running cloud'
                       % local_cloud.OPENRC_ENV)
    commands.add_parser('status', help="each service's pid")
    commands.add_parser('memory', help='resident memory per service')
    stop = commands.add_parser('stop', help='stop every service')
    stop.add_argument('--purge', action='store_true', help='also drop its '
                      'databases, vhost and directory')
    commands.add_parser('after', help='keep, stop or purge it, as %s says'
                        % AFTER_ENV)
    conf = commands.add_parser(
        'tempest-conf', help="tempest.conf for Heat's functional tests "
        'against the cloud (CONV_CLOUD_OPENRC, or ours)')
    conf.add_argument('path')
    conf.add_argument('--log-file', help="tempest's log (default: "
                      'tempest.log beside PATH)')
    conf.add_argument('--skip', action='append', default=[],
                      metavar='TEST', help='a test or class to skip '
                      '(repeatable)')
    args = parser.parse_args(argv)
    try:
        lay = layout_mod.Layout.from_env()
    except layout_mod.LayoutError as err:
        parser.error(str(err))
    return {'start': _start, 'status': _status, 'memory': _memory,
            'stop': _stop, 'after': _after,
            'tempest-conf': _tempest_conf}[args.command](lay, args)


if __name__ == '__main__':
    sys.exit(main())
