"""The performance targets, checked against the records (PASS / FAIL / n/a)."""

import dataclasses

from bench import report
from bench import workloads

# At this size we must beat Heat by this factor on every phase of every shape.
SPEEDUP_N, SPEEDUP_MIN = 500, 30.0
# Most SQL statements per resource an independent create may send, from
# this N up (below it the stack's fixed statements weigh in).
CREATE_SQL_MAX, CREATE_SQL_MIN_N = 6.0, 100
# ms per resource may vary at most this much over this range of N.
FLAT_RANGE, FLAT_MAX = (100, 2000), 1.5
# The thousands workload: so many TestResources waiting so long each must
# all be created within this many seconds.
THOUSANDS_N, THOUSANDS_WAIT, THOUSANDS_MAX_S = 5000, 5.0, 12.0
# Nested workloads: every phase this much faster than Heat at every leaf
# count both ran; ms per leaf and peak RSS within FLAT_MAX over this range.
NESTED_SPEEDUP_MIN, NESTED_FLAT_RANGE = 30.0, (100, 1000)


@dataclasses.dataclass
class Verdict:
    target: str
    verdict: str    # PASS, FAIL or n/a
    detail: str


def evaluate(ours: list[dict], heat: list[dict],
             thousands: list[dict]) -> list[Verdict]:
    return [speedup(ours, heat), create_sql(ours), flatness(ours),
            thousands_create(thousands), nested_speedup(ours, heat),
            nested_flatness(ours, 'ms_per_res', 'ms/leaf'),
            nested_flatness(ours, 'peak_rss_mb', 'peak RSS')]


def speedup(ours: list[dict], heat: list[dict]) -> Verdict:
    name = '>= %gx faster than Heat on every workload at N=%d' % (
        SPEEDUP_MIN, SPEEDUP_N)
    theirs = {report.key(r): r for r in heat if r['n'] == SPEEDUP_N}
    pairs = [(r, theirs[report.key(r)]) for r in ours
             if report.key(r) in theirs]
    if not pairs:
        return Verdict(name, 'n/a', 'no workload at N=%d on both engines '
                       '(see --against-heat, --heat-results)' % SPEEDUP_N)
    ratios = {report.key(r): report.ratio(h, r, 'wall_s') for r, h in pairs}
    worst = min(ratios.items(), key=lambda kv: kv[1] or 0)
    ok = all(v is not None and v >= SPEEDUP_MIN for v in ratios.values())
    return Verdict(name, 'PASS' if ok else 'FAIL',
                   '%d workloads; worst %s: %sx' % (
                       len(ratios), '/'.join(map(str, worst[0])), worst[1]))


def create_sql(ours: list[dict]) -> Verdict:
    name = '<= %g SQL statements per resource, independent create' % (
        CREATE_SQL_MAX)
    found = [r for r in ours if r['shape'] == 'independent'
             and r['op'] == 'create' and r['n'] >= CREATE_SQL_MIN_N]
    if not found:
        return Verdict(name, 'n/a', 'no independent create with N >= %d'
                       % CREATE_SQL_MIN_N)
    per_res = {r['n']: r.get('sql_per_res') for r in found}
    ok = all(v is not None and v <= CREATE_SQL_MAX for v in per_res.values())
    return Verdict(name, 'PASS' if ok else 'FAIL', ', '.join(
        'N=%d: %s' % item for item in sorted(per_res.items())))


def flatness(ours: list[dict]) -> Verdict:
    low, high = FLAT_RANGE
    name = 'ms/resource flat within %gx from N=%d to N=%d' % (FLAT_MAX, low,
                                                              high)
    series: dict[tuple, dict] = {}
    for r in ours:
        if low <= r['n'] <= high and r['shape'] in workloads.SHAPES:
            series.setdefault((r['shape'], r['op']), {})[r['n']] = r
    spreads = {k: _spread(v) for k, v in series.items() if len(v) > 1}
    if not spreads:
        return Verdict(name, 'n/a', 'needs two sizes in %d..%d' % FLAT_RANGE)
    worst = max(spreads.items(), key=lambda kv: kv[1])
    ok = worst[1] <= FLAT_MAX
    return Verdict(name, 'PASS' if ok else 'FAIL',
                   'worst %s: %.2fx (sizes %s)' % (
                       '/'.join(worst[0]), worst[1],
                       ','.join(map(str, sorted(series[worst[0]])))))


def nested_speedup(ours: list[dict], heat: list[dict]) -> Verdict:
    name = 'nested: >= %gx faster than Heat on every phase' % (
        NESTED_SPEEDUP_MIN)
    theirs = {report.key(r): r for r in heat
              if r['shape'] in workloads.NESTED_SHAPES}
    ratios = {report.key(r): report.ratio(theirs[report.key(r)], r, 'wall_s')
              for r in ours if report.key(r) in theirs}
    if not ratios:
        return Verdict(name, 'n/a', 'no nested workload on both engines '
                       '(--nested with --against-heat)')
    worst = min(ratios.items(), key=lambda kv: kv[1] or 0)
    ok = all(v is not None and v >= NESTED_SPEEDUP_MIN
             for v in ratios.values())
    return Verdict(name, 'PASS' if ok else 'FAIL', '%d phases; worst %s: %sx'
                   % (len(ratios), '/'.join(map(str, worst[0])), worst[1]))


def nested_flatness(ours: list[dict], field: str, label: str) -> Verdict:
    """``field`` of each nested (shape, phase) within FLAT_MAX over the
    leaf counts run in NESTED_FLAT_RANGE."""
    low, high = NESTED_FLAT_RANGE
    name = 'nested: %s flat within %gx from %d to %d leaves' % (
        label, FLAT_MAX, low, high)
    series: dict[tuple, dict] = {}
    for r in ours:
        if low <= r['n'] <= high and r['shape'] in workloads.NESTED_SHAPES:
            series.setdefault((r['shape'], r['op']), {})[r['n']] = r
    spreads = {k: _spread(v, field) for k, v in series.items() if len(v) > 1}
    if not spreads:
        return Verdict(name, 'n/a', 'needs two leaf counts in %d..%d'
                       % NESTED_FLAT_RANGE)
    worst = max(spreads.items(), key=lambda kv: kv[1])
    return Verdict(name, 'PASS' if worst[1] <= FLAT_MAX else 'FAIL',
                   'worst %s: %.2fx; %s' % ('/'.join(worst[0]), worst[1],
                                            ', '.join('%s %.2fx' % (
                                                '/'.join(k), v)
                                                for k, v in spreads.items())))


def _spread(by_n: dict[int, dict], field: str = 'ms_per_res') -> float:
    """max / min of ``field``; a failed phase counts as infinite."""
    values = [r.get(field) if r['status'] == 'COMPLETE' else None
              for r in by_n.values()]
    if None in values or not min(values):
        return float('inf')
    return max(values) / min(values)


def thousands_create(thousands: list[dict]) -> Verdict:
    name = '%d TestResources (create wait %gs) created in < %gs' % (
        THOUSANDS_N, THOUSANDS_WAIT, THOUSANDS_MAX_S)
    create = [r for r in thousands if r['op'] == 'create']
    if not create:
        return Verdict(name, 'n/a', 'run with --thousands')
    r = create[0]
    ok = r['status'] == 'COMPLETE' and r['wall_s'] < THOUSANDS_MAX_S
    return Verdict(name, 'PASS' if ok else 'FAIL', '%s in %s s' % (
        r['status'], r.get('wall_s', '-')))
