"""What a tree of stacks must look like, checked on its stack rows.

Pure: the rows come from the deployment's database (test_nested_kill reads
them), the verdict goes into a ``bookkeeping.Audit`` with each name
prefixed by the stack's path (``mid0/leaf1/r3``).
"""

from functional_tests import bookkeeping
from functional_tests.faults import tree

# The path of a stack whose owner is not among the tree's rows.
DETACHED = (None,)


def with_paths(rows: list[dict]) -> list[dict]:
    """The stack rows, each with its ``path``: the resource names from the
    root to it (``()`` for the root, ``DETACHED`` when the chain of owners
    leaves the rows)."""
    by_id = {row['id']: row for row in rows}

    def path(row):
        if row['owner_id'] is None:
            return ()
        owner = by_id.get(row['owner_id'])
        if owner is None or owner is row:
            return DETACHED
        return path(owner) + (row['parent_resource'],)
    return [dict(row, path=path(row)) for row in rows]


def wanted_paths() -> set[tuple]:
    """Every stack the tree's templates ask for, by path."""
    mids = [(tree.mid(m),) for m in range(tree.MIDS)]
    return {()} | set(mids) | {m + (tree.leaf(i),) for m in mids
                               for i in range(tree.LEAVES)}


def label(path: tuple) -> str:
    if path == DETACHED:
        return '(owner not in the tree)'
    return '/'.join(path) or 'root'


def check_shape(stacks: list[dict], audit: bookkeeping.Audit) -> None:
    """One stack row, deleted or not, for each stack the templates ask
    for: a second one is a child made twice."""
    wanted = wanted_paths()
    seen = {}
    for stack in stacks:
        seen.setdefault(stack['path'], []).append(stack)
    audit.missing_rows.extend(
        'stack %s' % label(p) for p in sorted(wanted - set(seen)))
    for path, found in seen.items():
        if path not in wanted:
            audit.unexpected_rows.append('stack %s' % label(path))
        elif len(found) > 1:
            audit.duplicates['stack %s' % label(path)] = len(found) - 1


def check_nested_rows(stack: dict, stacks: list[dict], listed: dict,
                      names: set) -> bookkeeping.Audit:
    """A stack of nested rows: the API lists ``names``, each row's physical
    id the live child stack at its path."""
    children = {s['path'][-1]: s['id'] for s in stacks
                if s['path'] and s['path'][:-1] == stack['path']
                and s['deleted_at'] is None}
    return bookkeeping.Audit(
        missing_rows=sorted(names - set(listed)),
        unexpected_rows=sorted(set(listed) - names),
        mismatched={n: (listed[n], children.get(n))
                    for n in sorted(names & set(listed))
                    if listed[n] != children.get(n)})


def merge(audit: bookkeeping.Audit, found: bookkeeping.Audit,
          path: tuple) -> None:
    """``found`` (one stack's audit) into ``audit``, names prefixed."""
    prefix = label(path) + '/'
    audit.missing_rows.extend(prefix + n for n in found.missing_rows)
    audit.unexpected_rows.extend(prefix + n for n in found.unexpected_rows)
    for field in ('duplicates', 'leftovers', 'mismatched'):
        getattr(audit, field).update(
            (prefix + n, v) for n, v in getattr(found, field).items())
