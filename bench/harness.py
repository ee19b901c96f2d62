"""Running a workload on an engine and measuring each phase.

Engine-neutral: ``bench.ours`` and ``bench.heat_driver`` each wrap their
engine in an object with the attributes and methods of ``Engine`` below, and
this module times create, update and delete on it.  It needs only the
standard library and SQLAlchemy, so it runs in Heat's virtualenv too.

A phase's clock runs from the API call until a status poll sees the stack
COMPLETE (or gone, for delete): polls of the stack row (``bench.probe``),
confirmed by the API's ``show_stack``.  Counting goes on after that until the
engine is quiet, so work an engine does after reporting COMPLETE (purging,
flushing events) is charged to the phase that caused it.
Each phase also records the process's RSS at its start and its peak RSS
over the phase (``counters.PeakRss``; both engines run in the measuring
process).
"""

import time
from typing import Protocol

from bench import counters
from bench import probe
from bench import workloads

# Status polls back off with the elapsed time: an error of at most ~2%.
POLL_MIN, POLL_MAX, POLL_FRACTION = 0.005, 0.1, 0.02
# Quiet means: no node running, every cast delivered, no SQL for this long.
QUIET_SECS = 0.15
QUIET_TIMEOUT = 60.0


class PhaseFailed(Exception):
    """A phase ended FAILED or timed out; the workload stops there."""


class Engine(Protocol):
    probe: probe.StackProbe
    sql: counters.SqlCounter
    casts: counters.CallCounter    # check_resource messages sent
    nodes: counters.CallCounter    # check_resource messages processed

    def create(self, stack_name: str, template: dict,
               files: dict | None = None) -> dict: ...

    def update(self, identity: dict, template: dict,
               files: dict | None = None) -> None: ...

    def delete(self, identity: dict) -> None: ...

    def state(self, identity: dict) -> tuple | None:
        """(action, status, reason) from show_stack; None once it is gone."""

    def resource_states(self, identity: dict) -> dict[str, int]: ...


# What each operation waits for; None means the stack is gone.
GOALS = {'create': ('CREATE', 'COMPLETE'), 'update': ('UPDATE', 'COMPLETE'),
         'delete': None}


def run_workload(engine: Engine, shape: str, n: int, timeout: float,
                 rtype: str = workloads.NONE_TYPE) -> list[dict]:
    """Create, update (every resource's ``value``) and delete one stack."""
    return run_stack(engine, shape, n, timeout, [
        ('create', workloads.template(shape, n, workloads.VALUE_BEFORE, rtype),
         None),
        ('update', workloads.template(shape, n, workloads.VALUE_AFTER, rtype),
         None),
        ('delete', None, None)])


def run_nested(engine: Engine, shape: str, leaves: int,
               timeout: float) -> list[dict]:
    """Create, update (every leaf's ``value``, passed down) and delete one
    nested workload (``workloads.NESTED_SHAPES``); N counts the leaves."""
    before = workloads.nested_workload(shape, leaves, workloads.VALUE_BEFORE)
    after = workloads.nested_workload(shape, leaves, workloads.VALUE_AFTER)
    records = run_stack(engine, shape, leaves, timeout, [
        ('create',) + before, ('update',) + after, ('delete', None, None)])
    for record in records:
        record['stacks'] = workloads.nested_stacks(shape, leaves)
    return records


def run_repeated(engine: Engine, shape: str, n: int, timeout: float,
                 repeat: int, rtype: str = workloads.NONE_TYPE) -> list[dict]:
    """The workload ``repeat`` times (run_nested for a nested shape,
    else run_workload); per phase, the run of median wall time.

    A 100-resource phase takes a few tenths of a second, so one garbage
    collection or a neighbour's burst on the machine moves it by a third;
    the median of a few runs is what the engine does, not what befell it.
    Each record keeps every run's wall time (``wall_runs``).  A phase that
    failed in any run is reported as failed.
    """
    if shape in workloads.NESTED_SHAPES:
        runs = [run_nested(engine, shape, n, timeout) for _ in range(repeat)]
    else:
        runs = [run_workload(engine, shape, n, timeout, rtype)
                for _ in range(repeat)]
    records = []
    for phase in range(max(len(run) for run in runs)):
        tries = [run[phase] for run in runs if len(run) > phase]
        failed = [r for r in tries if r['status'] != 'COMPLETE']
        if failed or len(tries) < repeat:
            records.append(failed[0] if failed else tries[0])
            break
        tries.sort(key=lambda r: r['wall_s'])
        records.append(dict(tries[len(tries) // 2],
                            wall_runs=[r['wall_s'] for r in tries]))
    return records


def run_thousands(engine: Engine, n: int, create_wait: float,
                  timeout: float) -> list[dict]:
    """Create and delete ``n`` TestResources that wait ``create_wait`` s."""
    return run_stack(engine, 'thousands', n, timeout, [
        ('create', workloads.thousands_template(n, create_wait), None),
        ('delete', None, None)])


def run_stack(engine: Engine, shape: str, n: int, timeout: float,
              operations: list) -> list[dict]:
    """One stack through ``operations`` [(op, template, files)], a record
    each.

    Stops at the first phase that fails; its record says why.
    """
    stack_name = 'bench-%s-%d-%d' % (shape, n, int(time.time() * 1000))
    stack = {}

    def start(op, template, files):
        if op == 'create':
            stack['identity'] = engine.create(stack_name, template, files)
        elif op == 'update':
            engine.update(stack['identity'], template, files)
        else:
            engine.delete(stack['identity'])

    records = []
    edges = workloads.edges(shape, n) if shape in workloads.SHAPES else 0
    for op, template, files in operations:
        record = {'shape': shape, 'n': n, 'edges': edges, 'op': op}
        records.append(record)
        try:
            record.update(measure(engine,
                                  lambda: start(op, template, files),
                                  lambda: stack['identity'], GOALS[op], n,
                                  timeout))
        except Exception as exc:    # PhaseFailed, or the API refused
            record.update(status='FAILED', reason='%s: %s' % (
                type(exc).__name__, exc))
            break
    return records


def measure(engine: Engine, start, identity, goal, n: int,
            timeout: float) -> dict:
    """Run ``start`` and wait for ``goal``; the phase's figures."""
    _reset(engine)
    rss = counters.PeakRss()
    rss_start = rss.reset()
    cpu0, t0 = time.process_time(), time.perf_counter()
    start()
    polls, done = wait_for(engine, identity(), goal, t0, timeout)
    wall = done - t0
    cpu = time.process_time() - cpu0
    settle(engine)
    figures = _figures(engine, n, wall, cpu, polls)
    figures.update(rss_start_mb=rss_start, peak_rss_mb=rss.peak())
    engine.sql.enabled = False
    try:
        figures['resources'] = ({} if goal is None else
                                engine.resource_states(identity()))
        if goal is not None:
            figures['tree_stacks'], figures['tree_resources'] = (
                engine.probe.tree(identity()['stack_id']))
    finally:
        engine.sql.enabled = True
    return figures


def _reset(engine: Engine) -> None:
    engine.sql.reset()
    engine.casts.reset()
    engine.nodes.reset()


def wait_for(engine: Engine, identity: dict, goal, t0: float,
             timeout: float) -> tuple[int, float]:
    """Poll until the stack is ``goal`` (None: gone).

    Watches the stack row through ``engine.probe`` and confirms with the
    API's ``show_stack``.  Returns the number of polls and the
    ``perf_counter`` time the row was first seen at the goal.
    """
    polls = 0
    while True:
        seen = time.perf_counter()
        elapsed = seen - t0
        row = engine.probe.state(identity['stack_id'])
        polls += 1
        if _reached(row, goal) or (row is not None and row[1] == 'FAILED'):
            with engine.sql.excluded():
                state = engine.state(identity)
            if _reached(state, goal):
                return polls, seen
            if state is not None and state[1] == 'FAILED':
                raise PhaseFailed('%s_%s: %s' % state)
        if elapsed > timeout:
            raise PhaseFailed('timed out after %.0f s in %s' % (elapsed, row))
        time.sleep(min(POLL_MAX, max(POLL_MIN, elapsed * POLL_FRACTION)))


def _reached(state, goal) -> bool:
    if goal is None:
        return state is None or state[:2] == ('DELETE', 'COMPLETE')
    return state is not None and state[:2] == goal


def settle(engine: Engine) -> None:
    """Wait until the engine has stopped working (see QUIET_SECS)."""
    deadline = time.perf_counter() + QUIET_TIMEOUT
    last = -1
    while time.perf_counter() < deadline:
        busy = (engine.nodes.running
                or engine.casts.calls > engine.nodes.calls)
        total = engine.sql.total()
        if not busy and total == last:
            return
        last = total
        time.sleep(QUIET_SECS)


def _figures(engine: Engine, n: int, wall: float, cpu: float,
             polls: int) -> dict:
    sql = engine.sql.summary()
    return {'status': 'COMPLETE', 'wall_s': round(wall, 4),
            'ms_per_res': round(1000 * wall / n, 3),
            'cpu_s': round(cpu, 3),
            'sql': sql['statements'],
            'sql_per_res': round(sql['statements'] / n, 2),
            'sql_by_verb': sql['by_verb'], 'commits': sql['commits'],
            'begins': sql['begins'], 'sql_top': sql['top'],
            'casts': engine.casts.calls,
            'casts_per_res': round(engine.casts.calls / n, 2),
            'nodes': engine.nodes.calls, 'polls': polls}
