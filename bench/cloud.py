"""The cloud benchmark: ``python -m bench.cloud [--sizes 50] [--rounds 2]``.

N servers with a port and a volume each (bench/cloud_workload.py) created,
updated (every server's metadata, in place) and deleted on the local cloud
(docs/cloud-tests.md; the layout of the CONV_CLOUD_* variables), by our
engine (a keystone-mode convergence-all), by upstream Heat 27.0.1 on the
same cloud in the same run, and by hand through openstacksdk with every
server in a thread of its own: the cloud's floor.  Prints each phase's
makespan per engine and round, Heat/ours, and each engine's share of the
floor (floor / engine).  See bench/README.md.
"""

import argparse
import contextlib
import json
import os
import signal
import statistics
import sys
import tempfile
import time

from bench import cloud_calls
from bench import cloud_engines
from bench import cloud_floor
from bench import cloud_workload
from bench import report

ENGINES = ('floor', 'ours', 'upstream')
OPS = ('create', 'update', 'delete')
WARMUP_N = 1


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog='python -m bench.cloud',
                                description=__doc__.split('\n')[0])
    p.add_argument('--sizes', default='50',
                   help='comma-separated N, servers per stack (default '
                        '%(default)s)')
    p.add_argument('--rounds', type=int, default=2,
                   help='each engine runs each N this many times, the '
                        'engines taking turns (default %(default)s)')
    p.add_argument('--engines', default=','.join(ENGINES),
                   help='comma-separated, of %(default)s')
    p.add_argument('--floor-poll', type=float, default=0.5,
                   help="seconds between the floor's status reads "
                        '(default %(default)s)')
    p.add_argument('--timeout', type=float, default=1800,
                   help='seconds one phase may take (default %(default)s)')
    p.add_argument('--our-option', action='append', default=[],
                   metavar='NAME=VALUE',
                   help="a [DEFAULT] option of our convergence-all "
                        '(repeatable)')
    p.add_argument('--json', metavar='FILE', help='write every record here')
    return p.parse_args(argv)


def _engines(text: str) -> list[str]:
    names = [s for s in text.split(',') if s]
    unknown = set(names) - set(ENGINES)
    if unknown or not names:
        sys.exit('unknown engines %s (of %s)' % (
            ','.join(sorted(unknown)) or '(none)', ','.join(ENGINES)))
    return [e for e in ENGINES if e in names]


def _load() -> str:
    return '/'.join('%.1f' % v for v in os.getloadavg())


class Bench:
    """The project, its quotas, the services and the phases of one run."""

    def __init__(self, args, stack: contextlib.ExitStack):
        from functional_tests.cloud import local_cloud
        self.args, self.records = args, []
        self.workdir = tempfile.mkdtemp(prefix='convergence-cloud-bench-')
        self.cloud = local_cloud.get()
        self.users = local_cloud.ProjectUsers(self.cloud, 'conv-bench')
        self.users.setUp()
        stack.callback(self.users.cleanUp)
        stack.callback(self._sweep)
        self.seed = self.cloud.seed
        self.apis: dict[str, cloud_engines.StackApi] = {}
        # how long the last phase's API request took (None for the floor)
        self.request_s: float | None = None
        self.floor = cloud_floor.Floor(
            self.users.user_connection(), self.seed.image, self.seed.flavor,
            self.seed.private_network, args.floor_poll, args.timeout)

    def raise_quotas(self, n: int) -> None:
        """As the cloud's admin, room for ``n`` servers in the project."""
        admin, project = self.cloud.admin.connection(), self.users.project
        wanted = cloud_workload.quotas(n)
        admin.set_compute_quotas(project.id, **wanted['compute'])
        admin.set_volume_quotas(project.id, **wanted['volume'])
        admin.set_network_quotas(project.id, **wanted['network'])

    def start(self, engine: str, stack: contextlib.ExitStack) -> None:
        started = time.monotonic()
        if engine == 'ours':
            options = dict(o.split('=', 1) for o in self.args.our_option)
            service = cloud_engines.OurService(self.cloud, self.users,
                                               self.workdir, options)
        else:
            service = cloud_engines.UpstreamService(self.cloud, self.users,
                                                    self.workdir)
        service.setUp()
        stack.callback(service.cleanUp)
        self.apis[engine] = cloud_engines.StackApi(
            engine, service.endpoint, self.users.member.session(),
            self.args.timeout)
        say('%s serving at %s (%.0fs to start)' % (
            engine, service.endpoint, time.monotonic() - started))

    def run(self, engine: str, n: int, label: str) -> list[dict]:
        """The three phases of ``engine`` at ``n``; a record per phase."""
        base = {'engine': engine, 'n': n, 'round': label}
        records = []
        try:
            started = time.time()
            for op, wall, states in self._phases(engine, n, label):
                ended = time.time()
                calls = self._calls(started, ended)
                records.append(dict(base, op=op, status='ok', wall_s=wall,
                                    request_s=self.request_s,
                                    started_at=started, ended_at=ended,
                                    calls=calls, resources=states,
                                    loadavg=_load()))
                self.request_s, started = None, time.time()
                say('%-8s N=%-3d %-7s %-6s %7.1fs  (request %s s)  load %s'
                    '  requests %s  %s' % (
                        engine, n, label, op, wall,
                        _s(records[-1]['request_s']), records[-1]['loadavg'],
                        _calls_text(calls), states or ''))
        except (cloud_engines.StackFailed, cloud_floor.FloorFailed) as err:
            records.append(dict(base, op=OPS[len(records)], status='failed',
                                error=str(err), loadavg=_load()))
            say('%s N=%d %s FAILED: %s' % (engine, n, label, err))
            self._sweep()
        return records

    def _calls(self, started: float, ended: float) -> dict | None:
        if self.cloud.layout is None:
            return None     # a cloud we did not start: no access logs
        return cloud_calls.in_window(self.cloud.layout.logs, started, ended)

    def _phases(self, engine: str, n: int, label: str):
        if engine == 'floor':
            yield 'create', self.floor.create(n), None
            yield 'update', self.floor.update(), None
            yield 'delete', self.floor.delete(), None
            return
        api, seed = self.apis[engine], self.seed
        name = 'bench-%s-%d-%s' % (engine, n, label)

        def template(value):
            return cloud_workload.template(n, seed.image, seed.flavor,
                                           seed.private_network, value)
        started = time.monotonic()
        stack_id = api.create(name, template(cloud_workload.VALUE_BEFORE))
        self.request_s = time.monotonic() - started
        wall = api.wait(name, stack_id, 'CREATE_COMPLETE', started)
        yield 'create', wall, api.resource_states(name, stack_id)
        started = time.monotonic()
        api.update(name, stack_id, template(cloud_workload.VALUE_AFTER))
        self.request_s = time.monotonic() - started
        wall = api.wait(name, stack_id, 'UPDATE_COMPLETE', started)
        yield 'update', wall, api.resource_states(name, stack_id)
        started = time.monotonic()
        api.delete(name, stack_id)
        self.request_s = time.monotonic() - started
        yield 'delete', api.wait(name, stack_id, 'DELETE_COMPLETE',
                                 started), None

    def _sweep(self) -> None:
        """Delete whatever a failed phase left in the project."""
        conn = self.users.user_connection()
        for server in conn.compute.servers():
            conn.compute.delete_server(server)
            conn.compute.wait_for_delete(server, wait=300)
        for port in conn.network.ports(project_id=self.users.project.id):
            conn.network.delete_port(port)
        for volume in conn.block_storage.volumes():
            conn.block_storage.wait_for_status(
                volume, 'available', failures=['error'], wait=300)
            conn.block_storage.delete_volume(volume)
            conn.block_storage.wait_for_delete(volume, wait=300)


def say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def summary(records: list[dict], engines: list[str]) -> str:
    """Per N and phase: each engine's median makespan (and every round's),
    Heat/ours, and floor / engine as a percentage."""
    lines = []
    for n in sorted({r['n'] for r in records}):
        rows = []
        for op in OPS:
            walls = {e: [r['wall_s'] for r in records if r['n'] == n and
                         r['engine'] == e and r['op'] == op and
                         r['status'] == 'ok'] for e in engines}
            median = {e: statistics.median(w) if w else None
                      for e, w in walls.items()}
            row = [op]
            for e in engines:
                row.append('%s (%s)' % (
                    _s(median[e]), ', '.join('%.1f' % w for w in walls[e]))
                    if walls[e] else 'failed')
            row.append(_ratio(median.get('upstream'), median.get('ours')))
            for e in ('ours', 'upstream'):
                row.append(_percent(median.get('floor'), median.get(e)))
            rows.append(row)
        headers = (['N=%d' % n] + ['%s s, median (rounds)' % e
                                   for e in engines]
                   + ['upstream/ours', 'floor/ours', 'floor/upstream'])
        lines.append(report.table(headers, rows))
    return '\n\n'.join(lines)


def _calls_text(calls: dict | None) -> str:
    """``nova 120 cinder 80 ...``: requests per service in a phase."""
    if calls is None:
        return '-'
    return ' '.join('%s %d' % (service.split('-')[0],
                               cloud_calls.total(calls, service))
                    for service in cloud_calls.SERVICES if service in calls)


def calls_table(records: list[dict], engines: list[str]) -> str:
    """Per N, phase and engine: the requests the cloud's services served
    (the last round's; what each engine's phase cost the cloud)."""
    rows = []
    for record in records:
        if record['status'] != 'ok' or record.get('calls') is None:
            continue
        rows.append([record['engine'], record['n'], record['round'],
                     record['op']] + [
            cloud_calls.total(record['calls'], service)
            for service in cloud_calls.SERVICES])
    return report.table(['engine', 'N', 'round', 'op'] + list(
        cloud_calls.SERVICES), rows)


def _s(value) -> str:
    return '-' if value is None else '%.1f' % value


def _ratio(slow, fast) -> str:
    return '-' if not slow or not fast else '%.2fx' % (slow / fast)


def _percent(floor, engine) -> str:
    return '-' if not floor or not engine else '%.0f%%' % (
        100 * floor / engine)


def main(argv=None) -> int:
    args = parse_args(argv)
    # A SIGTERM (timeout(1), say) still stops the services and removes the
    # project and what it holds: they live in sessions of their own.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit('bench.cloud: SIGTERM'))
    engines = _engines(args.engines)
    sizes = [int(s) for s in args.sizes.split(',') if s]
    if args.rounds < 1 or not sizes or min(sizes) < 1:
        sys.exit('--rounds and every size must be at least 1')
    load_before = _load()
    with contextlib.ExitStack() as stack:
        bench = Bench(args, stack)
        say('project %s; logs in %s; load %s' % (
            bench.users.project.name, bench.workdir, load_before))
        bench.raise_quotas(max(sizes))
        for engine in engines:
            if engine != 'floor':
                bench.start(engine, stack)
        for engine in engines:
            bench.run(engine, WARMUP_N, 'warmup')
        for n in sizes:
            for index in range(args.rounds):
                for engine in engines:
                    bench.records += bench.run(engine, n, 'r%d' % (index + 1))
        records = bench.records
    print('\n== cloud workload: N servers, each with a port and a volume '
          '(4N resources); makespan s ==')
    print(summary(records, engines))
    print('\n== requests the cloud served during each phase ==')
    print(calls_table(records, engines))
    print('\nload average (1/5/15 min) before %s, after %s on %d CPUs' % (
        load_before, _load(), os.cpu_count()))
    if args.json:
        with open(args.json, 'w') as out:
            json.dump({'records': records, 'loadavg': [load_before, _load()],
                       'engines': engines}, out, indent=1)
    return 0


if __name__ == '__main__':
    sys.exit(main())
