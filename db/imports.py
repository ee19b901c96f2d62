"""Storing a tree of stacks brought over from Heat, in one transaction.

The rows come keyed by Heat's ids (convergence/importing/plan.py's
ImportedTree): templates and resources get our ids as they are inserted,
and every reference to them (a stack's templates and owning resource, a
row's template, requires, replaces and replaced_by, the traversal graph) is
rewritten to ours before the transaction commits.  All of the tree or
nothing: a failure rolls the whole tree back.
"""

import sqlalchemy as sa

from db import core
from db import models
from db import retry

_STACK = models.Stack.__table__
_TEMPLATE = models.RawTemplate.__table__
_RESOURCE = models.Resource.__table__
_EVENT = models.Event.__table__
_SNAPSHOT = models.Snapshot.__table__


class AlreadyPresent(Exception):
    """A stack of the tree is in this database already."""


class Imports(core.Store):
    """Inserting imported trees (convergence-manage import-heat)."""

    @retry.retried
    def stacks_present(self, stack_ids: list[str]) -> set[str]:
        """Which of ``stack_ids`` are rows here (deleted or not)."""
        if not stack_ids:
            return set()
        with self._read() as connection:
            return set(connection.execute(sa.select(_STACK.c.id).where(
                _STACK.c.id.in_(list(stack_ids)))).scalars())

    def stack_tree_import(self, tree) -> dict[int, int]:
        """Insert every row of ``tree`` in one transaction; returns Heat's
        resource id -> ours.

        Not retried on a lost connection: a lost COMMIT leaves the tree
        either wholly there or absent, which a re-run tells apart
        (``stacks_present``).

        Raises:
            AlreadyPresent: the root stack is here already (a concurrent
                import won).
        """
        with self._write() as connection:
            if connection.execute(sa.select(_STACK.c.id).where(
                    _STACK.c.id == tree.root_id)).first() is not None:
                raise AlreadyPresent(tree.root_id)
            templates = _insert_templates(connection, tree.templates)
            for stack in tree.stacks:
                connection.execute(_STACK.insert(), _stack_values(
                    stack, templates))
            resources = _insert_resources(connection, tree.resources,
                                          templates)
            _link(connection, tree, resources)
            if tree.events:
                connection.execute(_EVENT.insert(), core.uniform(
                    [dict(e) for e in tree.events]))
            if tree.snapshots:
                connection.execute(_SNAPSHOT.insert(), tree.snapshots)
        return resources


def _insert_templates(connection, templates: list[dict]) -> dict[int, int]:
    ids = {}
    for template in templates:
        values = {k: v for k, v in template.items() if k != 'id'}
        ids[template['id']] = connection.execute(
            _TEMPLATE.insert(), values).inserted_primary_key[0]
    return ids


def _stack_values(stack: dict, templates: dict[int, int]) -> dict:
    """The stack's row with our template ids; the owning resource and the
    graph are set once the resources have their ids."""
    values = dict(stack, owner_resource_id=None, current_deps=None)
    values['raw_template_id'] = templates[stack['raw_template_id']]
    if stack['prev_raw_template_id'] is not None:
        values['prev_raw_template_id'] = templates[
            stack['prev_raw_template_id']]
    return values


def _insert_resources(connection, rows: list[dict],
                      templates: dict[int, int]) -> dict[int, int]:
    ids = {}
    for row in rows:
        values = {k: v for k, v in row.items() if k != 'id'}
        values.update(requires=[], replaces=None, replaced_by=None,
                      current_template_id=templates.get(
                          row['current_template_id']))
        ids[row['id']] = connection.execute(
            _RESOURCE.insert(), values).inserted_primary_key[0]
    return ids


def _link(connection, tree, ids: dict[int, int]) -> None:
    """Every reference between the inserted rows, in our ids.  A row
    required, replaced or replacing that Heat no longer had is dropped."""
    for row in tree.resources:
        connection.execute(_RESOURCE.update().where(
            _RESOURCE.c.id == ids[row['id']]).values(
            requires=sorted(ids[k] for k in row['requires'] if k in ids),
            replaces=ids.get(row['replaces']),
            replaced_by=ids.get(row['replaced_by'])))
    for stack in tree.stacks:
        connection.execute(_STACK.update().where(
            _STACK.c.id == stack['id']).values(
            owner_resource_id=ids.get(stack['owner_resource_id']),
            current_deps=_graph(stack['current_deps'], ids)))


def _graph(deps: dict | None, ids: dict[int, int]) -> dict | None:
    if deps is None:
        return None
    edges = [[[ids[a[0]], a[1]], None if b is None else [ids[b[0]], b[1]]]
             for a, b in deps['edges']]
    return dict(deps, edges=edges)
