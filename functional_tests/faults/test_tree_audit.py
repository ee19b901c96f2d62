"""The nested fault test's audit of a tree's stack rows finds what is
wrong (tree_audit, on rows made up here; no deployment)."""

import testtools

from functional_tests import bookkeeping
from functional_tests.faults import tree_audit


def _rows() -> list[dict]:
    """The stack rows of a well-formed tree (ids R, M0, L01…)."""
    rows = [{'id': 'R', 'owner_id': None, 'parent_resource': None,
             'deleted_at': None}]
    for m in range(3):
        rows.append({'id': 'M%d' % m, 'owner_id': 'R',
                     'parent_resource': 'mid%d' % m, 'deleted_at': None})
        rows.extend({'id': 'L%d%d' % (m, leaf), 'owner_id': 'M%d' % m,
                     'parent_resource': 'leaf%d' % leaf, 'deleted_at': None}
                    for leaf in range(3))
    return rows


class TreeAuditTest(testtools.TestCase):

    def shape(self, rows) -> list[str]:
        audit = bookkeeping.Audit()
        tree_audit.check_shape(tree_audit.with_paths(rows), audit)
        return audit.problems()

    def test_a_well_formed_tree_has_no_problem(self):
        stacks = tree_audit.with_paths(_rows())
        self.assertEqual([], self.shape(_rows()))
        self.assertEqual(('mid1', 'leaf2'), next(
            s['path'] for s in stacks if s['id'] == 'L12'))

    def test_a_child_made_twice_is_a_duplicate_even_once_deleted(self):
        rows = _rows() + [{'id': 'L00b', 'owner_id': 'M0',
                           'parent_resource': 'leaf0', 'deleted_at': 'then'}]
        self.assertEqual(["created more than once: {'stack mid0/leaf0': 1}"],
                         self.shape(rows))

    def test_a_missing_stack_and_a_stranger_are_named(self):
        rows = [r for r in _rows() if r['id'] != 'L22'] + [
            {'id': 'X', 'owner_id': 'M1', 'parent_resource': 'leaf7',
             'deleted_at': None}]
        self.assertEqual(["rows missing: ['stack mid2/leaf2']",
                          "rows not in the template: ['stack mid1/leaf7']"],
                         self.shape(rows))

    def test_a_stack_whose_owner_is_not_in_the_tree_is_detached(self):
        rows = _rows() + [{'id': 'Y', 'owner_id': 'elsewhere',
                           'parent_resource': 'leaf0', 'deleted_at': None}]
        stacks = tree_audit.with_paths(rows)
        self.assertEqual(tree_audit.DETACHED, stacks[-1]['path'])
        self.assertEqual(["rows not in the template: "
                          "['stack (owner not in the tree)']"],
                         self.shape(rows))

    def test_a_nested_row_must_name_its_live_child(self):
        stacks = tree_audit.with_paths(_rows())
        mid0 = next(s for s in stacks if s['id'] == 'M0')
        found = tree_audit.check_nested_rows(
            mid0, stacks, {'leaf0': 'OLD', 'leaf1': 'L01', 'extra': 'Z'},
            {'leaf0', 'leaf1', 'leaf2'})
        audit = bookkeeping.Audit()
        tree_audit.merge(audit, found, mid0['path'])
        self.assertEqual(["rows missing: ['mid0/leaf2']",
                          "rows not in the template: ['mid0/extra']",
                          "API and ledger disagree: "
                          "{'mid0/leaf0': ('OLD', 'L00')}"],
                         audit.problems())
