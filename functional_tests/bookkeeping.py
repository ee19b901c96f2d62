"""Checking a stack's resources against the ledger of recorded resources.

After a create or update has converged, every resource name of the template
is listed by the API and has exactly one live physical resource in the
ledger, the one the API shows; no name has more physical resources than it
legitimately needed (one, plus one per replacement).  After a delete nothing
of the stack is alive in the ledger.
"""

import dataclasses


@dataclasses.dataclass
class Audit:
    """What the ledger and the API showed, and what is wrong with it."""

    # names of the template the API does not list
    missing_rows: list = dataclasses.field(default_factory=list)
    # names the API lists that the template does not have
    unexpected_rows: list = dataclasses.field(default_factory=list)
    # {name: physical resources created beyond those it needed}
    duplicates: dict = dataclasses.field(default_factory=dict)
    # {name: [physical ids]} alive that should not be
    leftovers: dict = dataclasses.field(default_factory=dict)
    # {name: (id the API shows, [ids alive in the ledger])} that differ
    mismatched: dict = dataclasses.field(default_factory=dict)

    @property
    def duplicate_count(self) -> int:
        return sum(self.duplicates.values())

    @property
    def leftover_count(self) -> int:
        return sum(len(ids) for ids in self.leftovers.values())

    def problems(self) -> list[str]:
        """One line per kind of problem; empty when all is well."""
        lines = []
        for label, value in (('rows missing', self.missing_rows),
                             ('rows not in the template',
                              self.unexpected_rows),
                             ('created more than once', self.duplicates),
                             ('left alive', self.leftovers),
                             ('API and ledger disagree', self.mismatched)):
            if value:
                lines.append('%s: %s' % (label, value))
        return lines


def audit_converged(ledger, stack_id: str, listed: dict,
                    expected_names: set, replaced: set = frozenset()) -> Audit:
    """Check a stack that has converged to a template.

    ``listed`` is {name: physical id} as the API lists the stack's
    resources; ``replaced`` names the resources the operations so far
    replaced once each (they needed two physical resources).
    """
    audit = Audit(missing_rows=sorted(expected_names - set(listed)),
                  unexpected_rows=sorted(set(listed) - expected_names))
    created = ledger.created_per_name(stack_id)
    alive = ledger.alive(stack_id)
    for name in sorted(expected_names | set(created)):
        needed = (1 + (name in replaced)) if name in expected_names else 0
        extra = len(created.get(name, [])) - needed
        if extra > 0:
            audit.duplicates[name] = extra
        live = alive.get(name, [])
        if len(live) > 1 or (live and name not in expected_names):
            audit.leftovers[name] = [p for p in live if p != listed.get(name)]
        if name in listed and live != [listed[name]]:
            audit.mismatched[name] = (listed[name], live)
    return audit


def audit_deleted(ledger, stack_id: str) -> Audit:
    """Check a deleted stack: nothing of it may be alive."""
    return Audit(leftovers=ledger.alive(stack_id))
