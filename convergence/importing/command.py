"""``convergence-manage import-heat``: Heat's live stacks, tree by tree.

Each tree (a root stack and its nested stacks) is checked against our
database and planned (plan.py), then stored in one transaction
(db/imports.py).  A tree whose root is here already is skipped, so running
the import again brings over only what is new; a tree that cannot come
over is refused with the reason and changes nothing.  ``dry_run`` reports
the same without writing.
"""

import dataclasses

from oslo_db import exception as db_exc

from convergence.importing import heat_engines
from convergence.importing import heat_source
from convergence.importing import plan
from convergence.importing import trees
from db import imports as db_imports


@dataclasses.dataclass
class Outcome:
    """What happened to one tree: ``imported``, ``skipped`` or
    ``refused``, and the line reported for it."""

    root_id: str
    verdict: str
    message: str


@dataclasses.dataclass
class Report:
    """An import's (or dry run's) warnings and each tree's outcome."""

    warnings: list[str]
    outcomes: list[Outcome]


def run(heat_url: str, db, encryption_key: str, now,
        dry_run: bool = False) -> Report:
    """Import every live tree of the Heat database at ``heat_url`` into
    ``db`` (a db.api.Database); with ``dry_run`` write nothing.

    ``now``: naive UTC, what heat-engines' reports are compared with and
    the time of the repairs' events.

    Raises:
        heat_source.NotHeatDatabase: ``heat_url`` holds no Heat schema.
    """
    dump = heat_source.read(heat_url)
    warnings = [heat_engines.warning(s)
                for s in heat_engines.live(dump.services, now)]
    found, orphans = trees.group(dump.stacks)
    outcomes = [Outcome(s['id'], 'refused', 'stack %s (%s): nested stack '
                        'whose owner %s is not a live stack' % (
                            s['name'], s['id'], s['owner_id']))
                for s in orphans]
    for tree in found:
        outcomes.append(_one(tree, dump, db, encryption_key, now, dry_run))
    return Report(warnings, outcomes)


def _one(tree: trees.Tree, dump, db, key: str, now,
         dry_run: bool) -> Outcome:
    root = tree.root
    label = 'stack %s (%s)' % (root['name'], root['id'])
    present = db.stacks_present(tree.ids)
    if root['id'] in present:
        return Outcome(root['id'], 'skipped',
                       '%s: already imported, skipped' % label)
    try:
        if present:
            raise plan.Refused('%s: nested stacks %s are here already' % (
                label, ', '.join(sorted(present))))
        _check_names(tree, db)
        imported = plan.plan_tree(tree, dump, key, now)
    except plan.Refused as refused:
        return Outcome(root['id'], 'refused', str(refused))
    verb = 'would be imported' if dry_run else 'imported'
    if not dry_run:
        try:
            db.stack_tree_import(imported)
        except db_imports.AlreadyPresent:
            return Outcome(root['id'], 'skipped',
                           '%s: imported meanwhile, skipped' % label)
        except db_exc.DBError as exc:
            return Outcome(root['id'], 'refused', '%s: nothing stored, the '
                           'database refused a row: %s' % (label, exc))
    return Outcome(root['id'], 'imported', '%s: %s (%s)' % (
        label, verb, _summary(imported)))


def _check_names(tree: trees.Tree, db) -> None:
    """A stack's name is unique per tenant among live stacks."""
    for stack in tree.stacks:
        clash = db.stack_get_by_name(stack['tenant'], stack['name'])
        if clash is not None:
            raise plan.Refused(
                'stack %s (%s): tenant %s has a stack of that name here '
                'already (%s)' % (stack['name'], stack['id'], stack['tenant'],
                                  clash['id']))


def _summary(imported: plan.ImportedTree) -> str:
    parts = ['%d stack%s' % (len(imported.stacks),
                             '' if len(imported.stacks) == 1 else 's'),
             '%d resources' % len(imported.resources),
             '%d events' % len(imported.events)]
    if imported.snapshots:
        parts.append('%d snapshots' % len(imported.snapshots))
    if imported.repaired:
        parts.append('left IN_PROGRESS by a dead engine, now FAILED: %s'
                     % ', '.join(imported.repaired))
    return ', '.join(parts)
