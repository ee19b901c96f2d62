"""The benchmark: ``python -m bench.run [--sizes 100,500,2000] [--against-heat]``.

(``--fairness`` runs ``bench/fairness.py`` instead.)

Creates, updates (every resource's ``value``) and deletes stacks of N
``OS::Heat::None`` resources in three shapes on our engine, in this process
as ``convergence-all`` runs it, optionally on upstream Heat too, and prints
wall time, SQL statements, casts and time per resource, the Heat/ours
ratios and the targets' verdicts.  See bench/README.md.
"""

import eventlet

# As in every console entry point (convergence.cmd): green threads for the
# engine's nodes.  Before anything else imports the standard library's I/O.
eventlet.monkey_patch()

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402

from bench import harness  # noqa: E402
from bench import against_heat  # noqa: E402
from bench import fairness  # noqa: E402
from bench import profiling  # noqa: E402
from bench import report  # noqa: E402
from bench import targets  # noqa: E402
from bench import workloads  # noqa: E402

WARMUP_N = 3
# The nested warm-up: a tree of 2 x 2 x 2, a group of 8.
NESTED_WARMUP_N = 8
# Heat at N=2000 takes hours; by default it runs only up to this size.
HEAT_MAX_N = 500


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog='python -m bench.run',
                                description=__doc__.split('\n')[0])
    p.add_argument('--sizes', default='100,500,2000',
                   help='comma-separated N (default %(default)s)')
    p.add_argument('--shapes', default=','.join(workloads.SHAPES),
                   help='comma-separated, of %(default)s')
    p.add_argument('--nested', default='', metavar='SHAPES',
                   help='nested workloads to run too, of %s (N: leaves)' %
                        ','.join(workloads.NESTED_SHAPES))
    p.add_argument('--nested-sizes', default='100,1000',
                   help='leaves of each nested workload (default '
                        '%%(default)s; a tree has sizes %s)' % ','.join(
                            map(str, sorted(workloads.TREE_FANOUT))))
    p.add_argument('--heat-nested-sizes',
                   help='leaves for Heat (default: --nested-sizes)')
    p.add_argument('--heat-db-url',
                   help="Heat's database (default: a fresh SQLite file; with "
                        "--nested, %s, dropped and created afresh)" %
                        against_heat.NESTED_DB_URL)
    p.add_argument('--transport-url', default='inproc://',
                   help="our engine's bus (default %(default)s as in "
                        "convergence-all; fake:// is what Heat's run uses)")
    p.add_argument('--against-heat', action='store_true',
                   help='also run upstream Heat (its venv: HEAT_REF_VENV)')
    p.add_argument('--heat-sizes',
                   help='N for Heat (default: the sizes up to %d)' % HEAT_MAX_N)
    p.add_argument('--heat-results', metavar='JSON',
                   help='reuse the Heat records of an earlier --json file '
                        '(or the JSON lines heat_driver.py printed)')
    p.add_argument('--thousands', action='store_true',
                   help='also create %d TestResources waiting %gs each' % (
                       targets.THOUSANDS_N, targets.THOUSANDS_WAIT))
    p.add_argument('--repeat', type=int, default=3, metavar='K',
                   help='run each of our workloads K times and report, per '
                        'phase, the run of median wall time (default '
                        '%(default)s; Heat runs once)')
    p.add_argument('--timeout', type=float, default=900,
                   help='seconds one phase may take (default %(default)s)')
    p.add_argument('--heat-timeout', type=float, default=1800,
                   help='seconds one of Heat\'s phases may take (default '
                        '%(default)s)')
    p.add_argument('--sql-detail', type=int, default=0, metavar='K',
                   help='print the K most frequent statements of each phase')
    p.add_argument('--json', metavar='FILE', help='write every record here')
    p.add_argument('--fairness', action='store_true',
                   help='run the fairness benchmark (bench/fairness.py) '
                        'instead of the workloads')
    fairness.add_arguments(p)
    p.add_argument('--profile', metavar='FILE',
                   help='profile our engine (not the thousands workload) '
                        'into FILE; slows it down')
    return p.parse_args(argv)


def _ints(text: str) -> list[int]:
    return [int(s) for s in text.split(',') if s]


def _progress(engine: str):
    def show(record):
        print(report.progress_line(engine, record), file=sys.stderr,
              flush=True)
    return show


def run_ours(args, sizes, shapes,
             nested) -> tuple[list[dict], list[dict], str]:
    from bench import ours
    engine = ours.OurEngine(transport_url=args.transport_url)
    harness.run_workload(engine, 'independent', WARMUP_N, args.timeout)
    for shape in nested:
        harness.run_nested(engine, shape, NESTED_WARMUP_N, args.timeout)
    records, show = [], _progress('ours')
    # Nested first: a process keeps the memory it once used, so each peak
    # RSS is the least disturbed by the workloads before it.
    workloads_run = ([(s, n) for s in nested for n in _ints(args.nested_sizes)]
                     + [(s, n) for s in shapes for n in sizes])
    with profiling.profiled(args.profile):
        for shape, n in workloads_run:
            for record in harness.run_repeated(engine, shape, n,
                                               args.timeout, args.repeat):
                show(record)
                records.append(record)
    thousands = []
    if args.thousands:
        thousands = harness.run_thousands(engine, targets.THOUSANDS_N,
                                          targets.THOUSANDS_WAIT, args.timeout)
        for record in thousands:
            show(record)
    engine.stop()
    return records, thousands, engine.workdir


def run_heat(args, sizes, shapes, nested, workdir) -> list[dict]:
    if args.heat_results:
        return _load_heat(args.heat_results)
    if not args.against_heat:
        return []
    heat_sizes = [] if not shapes else (
        _ints(args.heat_sizes) if args.heat_sizes else
        [n for n in sizes if n <= HEAT_MAX_N])
    nested_sizes = _ints(args.heat_nested_sizes or args.nested_sizes)
    db_url = args.heat_db_url or (against_heat.NESTED_DB_URL if nested
                                  else None)
    log = os.path.join(workdir, 'heat-driver.log')
    print('Heat: sizes %s, nested %s at %s leaves, database %s, driver log '
          '%s' % (heat_sizes, ','.join(nested) or '-', nested_sizes,
                  db_url or 'SQLite', log), file=sys.stderr, flush=True)
    return against_heat.run(
        against_heat.Plan(heat_sizes, shapes, nested,
                          nested_sizes if nested else [], db_url),
        args.heat_timeout, _progress('heat'), log)


def _load_heat(path: str) -> list[dict]:
    """Heat records from a ``--json`` file or the driver's JSON lines."""
    with open(path) as saved:
        text = saved.read()
    try:
        return json.loads(text)['heat']
    except ValueError:
        return [json.loads(line) for line in text.splitlines()
                if line.startswith('{')]


def print_report(args, ours, heat_records, thousands) -> list:
    flat, nested = _split(ours)
    heat_flat, heat_nested = _split(heat_records)
    where = 'in-process, %s, SQLite' % args.transport_url
    heat_where = 'in-process, fake://, no leaf sleep'
    if flat or thousands:
        print('\n== ours (convergence, %s) ==' % where)
        print(report.records_table(flat + thousands))
    if heat_flat:
        print('\n== upstream Heat 27.0.1 (%s, SQLite) ==' % heat_where)
        print(report.records_table(heat_flat))
        print('\n== Heat / ours ==')
        print(report.ratios_table(flat, heat_flat))
    if nested:
        print('\n== ours, nested workloads (%s) ==' % where)
        print(report.nested_table(nested))
    if heat_nested:
        print('\n== upstream Heat 27.0.1, nested workloads (%s, %s) ==' % (
            heat_where, args.heat_db_url or against_heat.NESTED_DB_URL))
        print(report.nested_table(heat_nested))
        print('\n== Heat / ours, nested workloads ==')
        print(report.nested_ratios_table(nested, heat_nested))
    if args.sql_detail:
        print('\n== most frequent statements (ours) ==')
        print(report.sql_detail(ours + thousands, args.sql_detail))
    verdicts = targets.evaluate(ours, heat_records, thousands)
    print('\n== targets ==')
    print(report.table(['target', 'verdict', 'detail'],
                       [[v.target, v.verdict, v.detail] for v in verdicts]))
    return verdicts


def _split(records: list[dict]) -> tuple[list[dict], list[dict]]:
    """(flat-shape records, nested-workload records)."""
    nested = [r for r in records if r['shape'] in workloads.NESTED_SHAPES]
    flat = [r for r in records if r['shape'] not in workloads.NESTED_SHAPES]
    return flat, nested


def _names(text: str, known: tuple) -> list[str]:
    names = [s for s in text.split(',') if s]
    unknown = set(names) - set(known)
    if unknown:
        sys.exit('unknown shapes %s (of %s)' % (
            ','.join(sorted(unknown)), ','.join(known)))
    return names


def _check(func, *args) -> None:
    try:
        func(*args)
    except ValueError as exc:
        sys.exit(str(exc))


def _loads(values) -> str:
    return '/'.join('%.2f' % v for v in values)


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.repeat < 1:
        sys.exit('--repeat must be at least 1, not %d' % args.repeat)
    if args.fairness:
        fairness.run(args.transport_url, args.small, args.small_wait,
                     args.big, args.big_shape, args.timeout)
        return 0
    sizes, shapes = _ints(args.sizes), _names(args.shapes, workloads.SHAPES)
    nested = _names(args.nested, workloads.NESTED_SHAPES)
    if 'tree' in nested:
        for n in _ints(args.nested_sizes) + _ints(args.heat_nested_sizes or ''):
            _check(workloads.tree_fanout, n)
    load = [os.getloadavg()]
    ours, thousands, workdir = run_ours(args, sizes, shapes, nested)
    heat_records = run_heat(args, sizes, shapes, nested, workdir)
    load.append(os.getloadavg())
    verdicts = print_report(args, ours, heat_records, thousands)
    print('\nload average (1/5/15 min) before %s, after %s on %d CPUs' % (
        _loads(load[0]), _loads(load[1]), os.cpu_count()))
    if args.json:
        with open(args.json, 'w') as out:
            json.dump({'ours': ours, 'heat': heat_records,
                       'thousands': thousands, 'loadavg': load,
                       'targets': [vars(v) for v in verdicts]}, out, indent=1)
    return 0


if __name__ == '__main__':
    sys.exit(main())
