"""engine.views over a tree of nested stacks: which stacks, which rows, in
what order, as heat-engine lists them."""

import testtools

from convergence.engine import views


def stack(stack_id: str, owner: str | None = None) -> dict:
    return {'id': stack_id, 'owner_id': owner, 'raw_template_id': 1}


def row(row_id: int, name: str, physical: str | None = None) -> dict:
    return {'id': row_id, 'name': name, 'physical_resource_id': physical,
            'action': 'CREATE', 'status': 'COMPLETE', 'replaced_by': None,
            'current_template_id': 1}


ROOT = stack('root')
CHILD_A = stack('a', 'root')
CHILD_B = stack('b', 'root')
GRANDCHILD = stack('a1', 'a')
OTHER_TREE = stack('x', 'elsewhere')
BELOW = [GRANDCHILD, CHILD_B, CHILD_A, OTHER_TREE]


class TestSubtree(testtools.TestCase):

    def test_whole_subtree_parents_first(self):
        found = views.subtree(ROOT, BELOW)
        self.assertEqual([('root', 0), ('b', 1), ('a', 1), ('a1', 2)],
                         [(s['id'], level) for s, level in found])

    def test_depth_limits_the_levels_below(self):
        self.assertEqual(['root'],
                         [s['id'] for s, _ in views.subtree(ROOT, BELOW, 0)])
        self.assertEqual(['root', 'b', 'a'],
                         [s['id'] for s, _ in views.subtree(ROOT, BELOW, 1)])

    def test_a_nested_stack_is_the_top_of_its_own_subtree(self):
        # Given the rows of the whole tree (the top itself among them).
        found = views.subtree(CHILD_A, BELOW + [CHILD_A])
        self.assertEqual([('a', 0), ('a1', 1)],
                         [(s['id'], level) for s, level in found])


class TestResourceTree(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.rows_of = {
            'root': [row(1, 'first', 'a'), row(2, 'plain', 'p-1'),
                     row(3, 'second', 'b')],
            'a': [row(4, 'inner', 'a1')],
            'b': [row(5, 'solo', 'p-2')],
            'a1': [row(6, 'leaf', 'p-3')],
        }
        self.stacks = {s['id']: s for s in [ROOT] + BELOW}

    def _listed(self, depth: int) -> list[tuple[str, str]]:
        pairs = views.resource_tree(
            ROOT, self.rows_of, self.stacks, depth,
            lambda r: r['name'] in ('first', 'second', 'inner'))
        return [(owner['id'], r['name']) for r, owner in pairs]

    def test_depth_zero_is_the_stack_alone(self):
        self.assertEqual([('root', 'first'), ('root', 'plain'),
                          ('root', 'second')], self._listed(0))

    def test_nested_rows_follow_their_stack_depth_first(self):
        self.assertEqual([('root', 'first'), ('root', 'plain'),
                          ('root', 'second'), ('a', 'inner'), ('a1', 'leaf'),
                          ('b', 'solo')], self._listed(2))

    def test_depth_stops_the_descent(self):
        self.assertEqual([('root', 'first'), ('root', 'plain'),
                          ('root', 'second'), ('a', 'inner'), ('b', 'solo')],
                         self._listed(1))

    def test_a_row_that_is_no_stack_is_not_followed(self):
        # 'plain' has a physical id that is no stack of the tree; a row the
        # predicate does not call nested is not followed even if it were.
        self.rows_of['root'].append(row(7, 'imposter', 'b'))
        self.assertEqual(1, self._listed(2).count(('b', 'solo')))


class TestFilters(testtools.TestCase):

    def test_type_filter_matches_part_of_the_type_as_heat(self):
        listed = [{'resource_type': 'OS::Heat::None', 'resource_name': 'n'},
                  {'resource_type': 'nested.yaml', 'resource_name': 'y'}]
        self.assertEqual(['n'], [r['resource_name'] for r in
                                 views.filter_resources(listed,
                                                        {'type': 'None'})])
        self.assertEqual(['n', 'y'], [r['resource_name'] for r in
                                      views.filter_resources(listed, {
                                          'type': ['None', 'yaml']})])

    def test_parent_filter_is_the_owner(self):
        listed = views.filter_stacks([ROOT, CHILD_A, GRANDCHILD],
                                     {'parent': 'root'}, None, None, None,
                                     None)
        self.assertEqual(['a'], [s['id'] for s in listed])
