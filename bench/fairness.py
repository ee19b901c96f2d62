"""Fairness: ``python -m bench.fairness`` (or ``python -m bench.run --fairness``).

Does a small stack wait for a big one?  The create time of two small stacks
of ``--small`` resources is measured alone, then again while a
``--big``-resource stack (independent by default: all its nodes are cast at
once) converges in the same engine, wired as ``convergence-all`` wires it:

* ``test``: TestResources whose create waits ``--small-wait`` s, standing in
  for resources that take real time;
* ``none-chain``: OS::Heat::None in a chain, pure engine work: every hop is a
  message and a node that may queue behind the big stack's.

Prints both times, their ratio and the verdict against the target (under
3x) for each.
"""

import eventlet

# As in every console entry point (convergence.cmd); before other imports.
eventlet.monkey_patch()

import argparse  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

from bench import harness  # noqa: E402
from bench import report  # noqa: E402
from bench import workloads  # noqa: E402

SMALL_N, BIG_N = 10, 2000
SMALL_WAIT = 0.2
TARGET_RATIO = 3.0
# Small stacks created alone: the median is the baseline.
ALONE_RUNS = 3
CREATED = ('CREATE', 'COMPLETE')


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument('--small', type=int, default=SMALL_N,
                        help='resources of a small stack (default '
                             '%(default)s)')
    parser.add_argument('--small-wait', type=float, default=SMALL_WAIT,
                        help='create wait of the small TestResources '
                             '(default %(default)s s)')
    parser.add_argument('--big', type=int, default=BIG_N,
                        help='resources of the big stack (default '
                             '%(default)s)')
    parser.add_argument('--big-shape', default='independent',
                        choices=workloads.SHAPES,
                        help='shape of the big stack (default %(default)s)')


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog='python -m bench.fairness',
                                     description=__doc__.split('\n')[0])
    add_arguments(parser)
    parser.add_argument('--transport-url', default='inproc://',
                        help='the engine\'s bus (default %(default)s)')
    parser.add_argument('--timeout', type=float, default=900,
                        help='seconds one stack may take (default '
                             '%(default)s)')
    return parser.parse_args(argv)


def _create(engine, name: str, template: dict, timeout: float) -> tuple:
    """Create a stack and wait for CREATE_COMPLETE: (identity, seconds)."""
    t0 = time.perf_counter()
    identity = engine.create(name, template)
    _, done = harness.wait_for(engine, identity, CREATED, t0, timeout)
    return identity, done - t0


def _delete(engine, identity: dict, timeout: float) -> None:
    t0 = time.perf_counter()
    engine.delete(identity)
    harness.wait_for(engine, identity, None, t0, timeout)


def small_stacks(n: int, wait: float) -> dict[str, dict]:
    """The small stacks by kind (see the module docstring)."""
    return {
        'test': workloads.template(
            'independent', n, value=None, rtype=workloads.TEST_TYPE,
            properties={'action_wait_secs': {'create': wait}}),
        'none-chain': workloads.template('chain', n)}


def measure(engine, small: dict, big_n: int, big_shape: str,
            timeout: float) -> list[dict]:
    """Each small stack alone (median of ALONE_RUNS), then beside a big one.

    Each small stack gets a big stack of its own and is created right after
    the big stack's create call returned (its nodes just cast).
    """
    tag = int(time.time() * 1000)
    results = []
    for kind, template in small.items():
        alone = []
        for run in range(ALONE_RUNS):
            identity, seconds = _create(
                engine, 'fair-alone-%s-%d-%d' % (kind, tag, run), template,
                timeout)
            alone.append(seconds)
            _delete(engine, identity, timeout)
        t_big = time.perf_counter()
        big = engine.create('fair-big-%s-%d' % (kind, tag),
                            workloads.template(big_shape, big_n))
        identity, beside = _create(engine, 'fair-beside-%s-%d' % (kind, tag),
                                   template, timeout)
        _, big_done = harness.wait_for(engine, big, CREATED, t_big, timeout)
        _delete(engine, identity, timeout)
        _delete(engine, big, timeout)
        baseline = statistics.median(alone)
        results.append({
            'small': kind, 'big_n': big_n, 'big_shape': big_shape,
            'alone_s': [round(s, 4) for s in alone],
            'alone_median_s': round(baseline, 4),
            'beside_big_s': round(beside, 4),
            'big_s': round(big_done - t_big, 4),
            'ratio': round(beside / baseline, 2),
            'target_ratio': TARGET_RATIO})
    return results


def print_results(results: list[dict], small_n: int) -> None:
    first = results[0]
    print('\n== fairness: small stacks of %d resources created alone and '
          'beside a %d-resource %s stack ==' % (
              small_n, first['big_n'], first['big_shape']))
    print(report.table(
        ['small stack', 'alone s', 'beside s', 'ratio', 'target', 'verdict',
         'alone runs', 'big stack s'],
        [[r['small'], r['alone_median_s'], r['beside_big_s'],
          '%.2fx' % r['ratio'], '< %gx' % r['target_ratio'],
          'PASS' if r['ratio'] < r['target_ratio'] else 'FAIL',
          '/'.join('%.3f' % s for s in r['alone_s']), r['big_s']]
         for r in results]))


def run(transport_url: str, small_n: int, small_wait: float, big_n: int,
        big_shape: str, timeout: float) -> list[dict]:
    from bench import ours
    engine = ours.OurEngine(transport_url=transport_url)
    try:
        harness.run_workload(engine, 'independent', 3, timeout)  # warm-up
        results = measure(engine, small_stacks(small_n, small_wait), big_n,
                          big_shape, timeout)
    finally:
        engine.stop()
    print_results(results, small_n)
    return results


def main(argv=None) -> int:
    args = parse_args(argv)
    run(args.transport_url, args.small, args.small_wait, args.big,
        args.big_shape, args.timeout)
    return 0


if __name__ == '__main__':
    sys.exit(main())
