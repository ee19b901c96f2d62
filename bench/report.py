"""Printing the benchmark's records: per-engine tables and Heat/ours ratios."""

OPS = ('create', 'update', 'delete')


def table(headers: list[str], rows: list[list]) -> str:
    """A plain-text table, right-aligned except the first column."""
    cells = [[str(c) for c in headers]] + [[_cell(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = []
    for index, row in enumerate(cells):
        lines.append('  '.join(
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths))))
        if index == 0:
            lines.append('  '.join('-' * w for w in widths))
    return '\n'.join(lines)


def _cell(value) -> str:
    if value is None:
        return '-'
    if isinstance(value, float):
        return '%.3g' % value if value < 10 else '%.1f' % value
    return str(value)


def key(record: dict) -> tuple:
    return record['shape'], record['n'], record['op']


def records_table(records: list[dict]) -> str:
    """One row per phase: time, SQL and messages, per resource."""
    headers = ['shape', 'N', 'op', 'status', 'wall s', 'ms/res', 'CPU s',
               'SQL', 'SQL/res', 'commits', 'casts/res', 'nodes',
               'peak RSS MB', 'resources after']
    rows = [[r['shape'], r['n'], r['op'], r['status'], r.get('wall_s'),
             r.get('ms_per_res'), r.get('cpu_s'), r.get('sql'),
             r.get('sql_per_res'), r.get('commits'), r.get('casts_per_res'),
             r.get('nodes'), r.get('peak_rss_mb'), _states(r)]
            for r in records]
    return table(headers, rows)


def nested_table(records: list[dict]) -> str:
    """Nested workloads: per phase, time and memory per leaf, and every
    resource of the tree after it."""
    headers = ['shape', 'leaves', 'stacks', 'op', 'status', 'wall s',
               'ms/leaf', 'CPU s', 'peak RSS MB', '(at start)', 'SQL/leaf',
               'nodes', 'tree after']
    rows = [[r['shape'], r['n'], r.get('stacks'), r['op'], r['status'],
             r.get('wall_s'), r.get('ms_per_res'), r.get('cpu_s'),
             r.get('peak_rss_mb'), r.get('rss_start_mb'),
             r.get('sql_per_res'), r.get('nodes'), _tree(r)]
            for r in records]
    return table(headers, rows)


def _states(record: dict, field: str = 'resources') -> str:
    if record['status'] != 'COMPLETE':
        return record.get('reason', '')[:60]
    states = record.get(field) or {}
    return ' '.join('%s×%d' % item for item in sorted(states.items()))


def _tree(record: dict) -> str:
    if record['status'] != 'COMPLETE' or 'tree_stacks' not in record:
        return _states(record)
    return '%d stacks: %s' % (record['tree_stacks'],
                              _states(record, 'tree_resources'))


def ratios_table(ours: list[dict], heat: list[dict]) -> str:
    """For every phase both engines ran: how many times faster we are."""
    theirs = {key(r): r for r in heat}
    rows = []
    for record in ours:
        other = theirs.get(key(record))
        if other is None:
            continue
        rows.append(list(key(record)) + [
            record.get('ms_per_res'), other.get('ms_per_res'),
            ratio(other, record, 'wall_s'),
            record.get('sql_per_res'), other.get('sql_per_res'),
            ratio(other, record, 'sql'),
            record.get('casts_per_res'), other.get('casts_per_res')])
    headers = ['shape', 'N', 'op', 'ours ms/res', 'heat ms/res',
               'heat/ours time', 'ours SQL/res', 'heat SQL/res',
               'heat/ours SQL', 'ours casts/res', 'heat casts/res']
    return table(headers, rows)


def nested_ratios_table(ours: list[dict], heat: list[dict]) -> str:
    """Nested phases both engines ran: time and peak memory, Heat / ours."""
    theirs = {key(r): r for r in heat}
    rows = [list(key(r)) + [
        r.get('wall_s'), theirs[key(r)].get('wall_s'),
        ratio(theirs[key(r)], r, 'wall_s'), r.get('peak_rss_mb'),
        theirs[key(r)].get('peak_rss_mb'),
        ratio(theirs[key(r)], r, 'peak_rss_mb')]
        for r in ours if key(r) in theirs]
    headers = ['shape', 'leaves', 'op', 'ours s', 'heat s', 'heat/ours time',
               'ours peak MB', 'heat peak MB', 'heat/ours peak']
    return table(headers, rows)


def ratio(heat: dict, ours: dict, field: str) -> float | None:
    """heat[field] / ours[field], when both phases completed."""
    if heat.get('status') != 'COMPLETE' or ours.get('status') != 'COMPLETE':
        return None
    if not ours.get(field):
        return None
    return round(heat[field] / ours[field], 2)


def sql_detail(records: list[dict], top: int) -> str:
    """The ``top`` most frequent statement shapes of every phase."""
    blocks = []
    for r in records:
        lines = ['%s N=%d %s: %s statements' % (r['shape'], r['n'], r['op'],
                                                r.get('sql'))]
        lines += ['  %6d  %s' % (count, shape)
                  for shape, count in (r.get('sql_top') or [])[:top]]
        blocks.append('\n'.join(lines))
    return '\n\n'.join(blocks)


def progress_line(engine: str, record: dict) -> str:
    return '[%s] %-11s N=%-5d %-6s %-8s %8s s  %8s ms/res  %6s SQL/res' % (
        engine, record['shape'], record['n'], record['op'], record['status'],
        record.get('wall_s', '-'), record.get('ms_per_res', '-'),
        record.get('sql_per_res', '-'))
