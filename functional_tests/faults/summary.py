"""The record of the SIGKILL runs: one line per phase, a table, a JSON file."""

import dataclasses
import json
import statistics


@dataclasses.dataclass
class PhaseResult:
    """One create, update or delete of one run, with its kill."""

    run: int
    phase: str
    engine: int | None = None        # index of the engine killed
    kill_after: float | None = None  # seconds from the request to the kill
    held: int = 0                    # rows the engine held when killed
    # rows awaiting a child stack when killed (not held: the child's
    # operation holds them), and how many of those the engine had started
    awaiting: int = 0
    awaiting_own: int = 0
    restarted: bool = False
    converged: bool = False
    status: str = ''
    seconds: float | None = None     # request to final status
    after_kill: float | None = None  # kill to final status
    recovery: float | None = None    # kill to the held rows finished
    duplicates: int = 0
    leftovers: int = 0
    repeated: int = 0                # creates/deletes repeated in place
    rewoken: int = 0                 # rows awaiting a finished child that
    #                                  the sweeper resumed (lost or late)
    killed_at: str = ''              # wall clock (UTC), to find in logs
    problems: list = dataclasses.field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.converged and not self.problems


def _num(value, fmt='%.1f') -> str:
    return '-' if value is None else fmt % value


def table(results: list[PhaseResult]) -> str:
    """A fixed-width table of every phase, then totals."""
    header = ('run phase  eng kill@  held await rst conv  status         '
              '     total after  recov dup left rep wake')
    lines = [header, '-' * len(header)]
    row = '%3d %-6s %3s %5s %5d %5s %3s %-5s %-19s %5s %5s %6s %3d %4d %3d %4d'
    for r in results:
        lines.append(row % (r.run, r.phase, _num(r.engine, '%d'),
                            _num(r.kill_after), r.held,
                            '%d/%d' % (r.awaiting_own, r.awaiting),
                            'yes' if r.restarted else 'no',
                            'yes' if r.converged else 'NO', r.status[:19],
                            _num(r.seconds), _num(r.after_kill),
                            _num(r.recovery), r.duplicates, r.leftovers,
                            r.repeated, r.rewoken))
    lines.append('-' * len(header))
    lines.extend('%s: %s' % item for item in totals(results).items())
    lines.extend(by_phase(results))
    for r in results:
        for problem in r.problems:
            lines.append('run %d %s: %s' % (r.run, r.phase, problem))
    return '\n'.join(lines)


def totals(results: list[PhaseResult]) -> dict:
    recoveries = [r.recovery for r in results
                  if r.recovery is not None and r.held]
    killed = [r for r in results if r.engine is not None]
    return {
        'phases': len(results),
        'phases converged': sum(r.converged for r in results),
        'phases clean': sum(r.ok for r in results),
        'kills': len(killed),
        'kills holding rows': sum(1 for r in killed if r.held),
        'kills while rows awaited a child stack': sum(
            1 for r in killed if r.awaiting),
        'duplicates': sum(r.duplicates for r in results),
        'leftovers': sum(r.leftovers for r in results),
        'actions repeated in place': sum(r.repeated for r in results),
        'awaiting rows resumed by the sweeper': sum(r.rewoken
                                                    for r in results),
        'recovery s median': _stat(statistics.median, recoveries),
        'recovery s max': _stat(max, recoveries),
        'kill to final s max': _stat(max, [r.after_kill for r in killed
                                           if r.after_kill is not None]),
    }


def by_phase(results: list[PhaseResult]) -> list[str]:
    """One line per phase: converged, kills holding rows, recovery."""
    lines = []
    for phase in dict.fromkeys(r.phase for r in results):
        mine = [r for r in results if r.phase == phase]
        sums = totals(mine)
        lines.append(
            '%s: converged %d/%d, kills holding rows %d/%d, recovery s '
            'median %s max %s, kill to final s max %s' % (
                phase, sums['phases converged'], len(mine),
                sums['kills holding rows'], sums['kills'],
                sums['recovery s median'], sums['recovery s max'],
                sums['kill to final s max']))
    return lines


def _stat(function, values):
    return round(function(values), 2) if values else None


def write_json(path: str, results: list[PhaseResult], **context) -> None:
    with open(path, 'w') as f:
        json.dump({'context': context, 'totals': totals(results),
                   'by_phase': by_phase(results),
                   'phases': [dataclasses.asdict(r) for r in results]},
                  f, indent=2)
