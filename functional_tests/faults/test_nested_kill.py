"""SIGKILL of a random engine while it works on a tree of stacks.

The runs of test_engine_kill (create, update, delete, one kill per phase,
half the time restarted) on ``tree``: a root of 3 provider-template mids
of 3 leaf stacks of 4 recorded resources each (13 stacks, 36 recorded
resources), whose update changes every leaf and replaces one resource of
each.  The kill lands while every level is in flight.

The audit covers every stack of the tree, found in the deployment's
database (the stacks whose ``root_stack_id`` is the root): each stack the
template asks for exists once (never a second child for a resource), the
API lists each stack's resources and a nested row's physical id is its
child, the ledger shows no recorded resource created twice and, after the
delete, every stack of the tree deleted with nothing of it alive.  The
root's outputs are every leaf's values.  A nested row awaiting its child
is held by the child's operation, not by the engine that started it: it
does not count among the rows a killed engine held.

Environment: as test_engine_kill (``CONVERGENCE_FAULT_RUNS``, default 5
here, ``CONVERGENCE_FAULT_SEED``, ``CONVERGENCE_FAULT_SUMMARY``), and
``CONVERGENCE_FAULT_BACKEND`` = mariadb (default) | postgresql.
"""

import contextlib
import sqlite3

from functional_tests import bookkeeping
from functional_tests.faults import test_engine_kill
from functional_tests.faults import tree
from functional_tests.faults import tree_audit

# An undisturbed traversal of the tree takes 10 to 16 s (the root's
# mid2 waits for mid0, each mid's leaf2 for its leaf0).
PHASE_BOUND = 120
KILL_WINDOW = (0.5, 9.0)
# Runs unless CONVERGENCE_FAULT_RUNS says otherwise: one takes about a
# minute, four times the flat workload's.
DEFAULT_RUNS = 5


class NestedSigkillTest(test_engine_kill.SigkillTest):

    WORKLOAD = 'a tree of %d stacks' % tree.stack_count()
    PHASE_BOUND = PHASE_BOUND
    KILL_WINDOW = KILL_WINDOW
    DEFAULT_RUNS = DEFAULT_RUNS

    def _create(self, name: str) -> str:
        return self.create(name, template=tree.template(),
                           files=tree.files())

    def _update(self, identifier: str, parameters: dict) -> None:
        self.update(identifier, parameters, template=tree.template(),
                    files=tree.files())

    def _tree(self, identifier: str) -> list[str]:
        return [s['id'] for s in self._stacks(identifier)]

    def _stacks(self, identifier: str) -> list[dict]:
        """The root's stack row and every row of its tree, deleted or not,
        each with its ``path`` (tree_audit.with_paths)."""
        db = self.deployment.db
        root_id = self.stack_id(identifier)
        root = db.stack_get(root_id)
        return tree_audit.with_paths(([root] if root else []) + db.stack_list(
            None, show_deleted=True, filters={'root_stack_id': root_id}))

    # -- the audit -----------------------------------------------------------

    def _check(self, result, identifier, expected) -> bookkeeping.Audit:
        stacks = self._stacks(identifier)
        audit = bookkeeping.Audit()
        strays = self._ledger_strays(identifier, {s['id'] for s in stacks})
        if strays:
            audit.leftovers['stacks unknown to the tree'] = strays
        if expected == 'DELETE_COMPLETE':
            self._check_deleted(stacks, audit)
            return audit
        tree_audit.check_shape(stacks, audit)
        replace = expected == 'UPDATE_COMPLETE'
        for stack in stacks:
            if (stack['deleted_at'] is None
                    and stack['path'] != tree_audit.DETACHED):
                self._check_stack(stack, stacks, audit, replace)
        if result.converged:
            foo = 'two' if replace else 'one'
            outputs = self.outputs(identifier)
            if outputs != tree.expected_outputs(foo):
                result.problems.append('outputs %s' % outputs)
        return audit

    def _check_stack(self, stack: dict, stacks: list[dict], audit,
                     replace: bool) -> None:
        """One stack's resources: as the template's, by the API; recorded
        ones against the ledger, nested ones against their children."""
        depth = len(stack['path'])
        names = tree.names_at_depth(depth)
        listed = self.listed('%s/%s' % (stack['name'], stack['id']))
        if depth == 2:
            found = bookkeeping.audit_converged(
                self.ledger, stack['id'], listed, names,
                tree.replaced_on_update(depth) if replace else frozenset())
        else:
            found = tree_audit.check_nested_rows(stack, stacks, listed, names)
        tree_audit.merge(audit, found, stack['path'])

    def _check_deleted(self, stacks: list[dict], audit) -> None:
        for stack in stacks:
            label = tree_audit.label(stack['path'])
            if stack['deleted_at'] is None:
                audit.unexpected_rows.append('stack %s not deleted' % label)
            rows = self.deployment.db.resources_of_stack(stack['id'])
            audit.unexpected_rows.extend(
                '%s/%s' % (label, row['name']) for row in rows)
            for name, ids in self.ledger.alive(stack['id']).items():
                audit.leftovers['%s/%s' % (label, name)] = ids

    def _ledger_strays(self, identifier: str, known: set) -> list[str]:
        """Stacks of the tree (named after the root) with recorded
        resources that are not in the tree: a child made twice."""
        prefix = identifier.split('/')[0] + '-'
        with contextlib.closing(sqlite3.connect(self.ledger.path)) as db:
            ids = {stack_id for stack_id, name in db.execute(
                'SELECT DISTINCT stack_id, stack_name FROM physical')
                if name.startswith(prefix)}
        return sorted(ids - known)
