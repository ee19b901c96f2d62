"""Heat's 21 convergence scenarios, replayed on our engine.

Each test is one file of ``heat/tests/convergence/scenarios`` told again: the
same templates, the same operations at the same moments (``noop(n)`` lets
n+1 worker messages through between two engine operations), the same
checks on the fake cloud.  Where the reference trace shows messages going
stale, the test also says how many did and that they did no work.

Our engine orders leaves cleanup-first, then by row id, and numbers a
template's new rows in name order (Heat: reverse dependency order), so the
resource in flight at a given moment can differ from Heat's trace; where it
matters the docstring says which one it is here.
"""

from convergence.tests.scenarios import templates as t
from convergence.tests.scenarios.framework import GetAtt
from convergence.tests.scenarios.framework import GetRes
from convergence.tests.scenarios.framework import RsrcDef
from convergence.tests.scenarios.framework import ScenarioTestCase
from convergence.tests.scenarios.framework import Template


class CreateScenarios(ScenarioTestCase):

    def test_basic_create(self):
        """Given the diamond, when it is created, then C waits for A and B
        (a join), D and E follow it (a fan-out), and all five exist with
        D holding C's id and E C's attribute."""
        s = self.scenario
        s.create_stack('foo', t.base())
        s.noop(5)
        s.call(s.verify, t.base())
        s.also(s.assert_state, 'CREATE_COMPLETE')
        s.run()
        self.assertEqual(5, len(s.steps))

    def test_basic_create_rollback(self):
        """Given a create that has made A-D, when it is rolled back, then (no
        operation ever succeeded) it converges to the empty template: E's
        queued create goes stale and does nothing, every resource made is
        deleted, E's row is dropped, and the stack is ROLLBACK_COMPLETE."""
        s = self.scenario
        s.create_stack('foo', t.base())
        s.noop(3)
        s.rollback_stack('foo')
        s.noop(6)
        s.call(s.verify, t.EMPTY)
        s.run()
        s.assert_state('ROLLBACK_COMPLETE')
        s.assert_stale_did_nothing(1)
        self.assertEqual([], [row for name in 'ABCDE' for row in s.rows(name)])

    def test_create_early_delete(self):
        """Given a create that has made A, B and C, when the stack is deleted,
        then the creates of D and E go stale and do nothing, their rows
        (never created) are dropped without touching the cloud, the rest is
        deleted, and the stack is gone."""
        s = self.scenario
        s.create_stack('foo', t.base())
        s.noop(2)
        s.delete_stack('foo')
        s.also(s.assert_total, 3)
        s.noop(6)
        s.call(s.verify, t.EMPTY)
        s.run()
        s.assert_deleted()
        s.assert_stale_did_nothing(2)

    def test_disjoint_create(self):
        """Given a template whose graph has several components (E is alone,
        B only feeds C), when it is created, then every node is scheduled,
        the isolated ones too."""
        disjoint = Template({
            'A': RsrcDef({}, []),
            'B': RsrcDef({}, []),
            'C': RsrcDef({'a': '4alpha'}, ['A']),
            'D': RsrcDef({'c': GetRes('C')}),
            'E': RsrcDef({}, []),
        })
        s = self.scenario
        s.create_stack('foo', disjoint)
        s.noop(5)
        s.call(s.verify, disjoint)
        s.also(s.assert_state, 'CREATE_COMPLETE')
        s.run()


class UpdateScenarios(ScenarioTestCase):

    def test_update_add(self):
        """Given the diamond, when F (after D and E) is added, then F is
        created and nothing else changes in the cloud."""
        s = self.scenario
        s.create_stack('foo', t.base())
        s.noop(5)
        s.call(s.verify, t.base())
        before = s.note_ids('A', 'B', 'C', 'D', 'E', same_step=True)
        s.update_stack('foo', t.plus(t.base(), F=t.after_d_and_e()))
        s.noop(11)
        s.call(s.verify, t.plus(t.base(), F=t.after_d_and_e()))
        s.run()
        s.assert_state('UPDATE_COMPLETE')
        self.assertEqual(before, {n: s.physical_ids(n) for n in before})
        self.assertEqual([('create F',)], [st.effect for st in s.steps[5:]
                                           if st.effect])

    def test_update_remove(self):
        """Given the diamond, when E is removed, then E is deleted (its
        cleanup is a leaf and runs first) and A-D stay as they are."""
        s = self.scenario
        s.create_stack('foo', t.base())
        s.noop(5)
        s.call(s.verify, t.base())
        before = s.note_ids('A', 'B', 'C', 'D', same_step=True)
        s.update_stack('foo', t.minus(t.base(), 'E'))
        s.noop(9)
        s.call(s.verify, t.minus(t.base(), 'E'))
        s.run()
        s.assert_state('UPDATE_COMPLETE')
        self.assertEqual(before, {n: s.physical_ids(n) for n in before})
        self.assertEqual(('delete E',), s.steps[5].effect)

    def test_multiple_update(self):
        """Given the diamond, when E is removed, then added back with F, then
        the stack deleted, then each step converges: E is deleted, comes
        back as a new physical resource beside the new F, and at last
        everything is gone."""
        s = self.scenario
        full = t.plus(t.base(), F=t.after_d_and_e())
        s.create_stack('foo', t.base())
        s.noop(5)
        s.call(s.verify, t.base())
        first = s.note_ids('E', same_step=True)
        s.update_stack('foo', t.minus(t.base(), 'E'))
        s.noop(10)
        s.call(s.verify, t.minus(t.base(), 'E'))
        s.also(s.assert_state, 'UPDATE_COMPLETE')
        s.update_stack('foo', full)
        s.noop(12)
        s.call(s.verify, full)
        s.also(s.assert_state, 'UPDATE_COMPLETE')
        second = s.note_ids('E', same_step=True)
        s.delete_stack('foo')
        s.noop(6)
        s.call(s.verify, t.EMPTY)
        s.run()
        s.assert_deleted()
        self.assertNotEqual(first['E'], second['E'])

    def test_update_interrupt_create(self):
        """Given a chain A <- B <- C <- D being created, when C and D change
        while C's create is still queued, then that create goes stale and
        does nothing, and the update creates C and D straight from the new
        definitions (an INIT row always uses the latest template)."""
        chain = Template({
            'A': RsrcDef({}, []),
            'B': RsrcDef({'a': '4alpha'}, ['A']),
            'C': RsrcDef({'a': 'foo'}, ['B']),
            'D': RsrcDef({'a': 'bar'}, ['C']),
        })
        changed = t.plus(chain, C=RsrcDef({'a': 'blarg'}, ['B']),
                         D=RsrcDef({'a': 'wibble'}, ['C']))
        s = self.scenario
        s.create_stack('foo', chain)
        s.noop(1)
        s.update_stack('foo', changed)
        s.call(s.assert_total, 2)
        s.noop(11)
        s.call(s.verify, changed)
        s.run()
        s.assert_state('UPDATE_COMPLETE')
        s.assert_stale_did_nothing(1)
        cd_effects = [st.effect for st in s.steps if st.effect
                      and st.effect[0] in ('create C', 'create D',
                                           'update C', 'update D')]
        self.assertEqual([('create C',), ('create D',)], cd_effects)


class ConcurrentUpdateScenarios(ScenarioTestCase):

    def test_basic_update_delete(self):
        """Given a create that has made A, B and C, when F (after D and E) is
        added, then the old traversal's creates of D and E go stale and do
        nothing; the new traversal creates D, E and F; then a delete removes
        everything and the stack is gone."""
        s = self.scenario
        full = t.plus(t.base(), F=t.after_d_and_e())
        s.create_stack('foo', t.base())
        s.noop(2)
        s.update_stack('foo', full)
        s.call(s.assert_total, 3)
        s.noop(11)
        s.call(s.verify, full)
        s.also(s.assert_state, 'UPDATE_COMPLETE')
        s.delete_stack('foo')
        s.noop(6)
        s.call(s.verify, t.EMPTY)
        s.run()
        s.assert_deleted()
        s.assert_stale_did_nothing(2)

    def test_update_add_concurrent(self):
        """Given a create that has made A, B and C, when F (after D and E) is
        added, then the update finishes the interrupted create (D and E) and
        adds F; the stale creates did nothing."""
        s = self.scenario
        full = t.plus(t.base(), F=t.after_d_and_e())
        s.create_stack('foo', t.base())
        s.noop(2)
        s.update_stack('foo', full)
        s.call(s.assert_total, 3)
        s.noop(11)
        s.call(s.verify, full)
        s.run()
        s.assert_state('UPDATE_COMPLETE')
        s.assert_stale_did_nothing(2)


class RollbackScenarios(ScenarioTestCase):

    def test_update_add_rollback(self):
        """Given an update adding F (after A) that has already created F, when
        it is rolled back, then the stack returns to the diamond: F is
        deleted, the others keep their physical resources."""
        s = self.scenario
        added = t.plus(t.base(), F=RsrcDef({}, ['A']))
        s.create_stack('foo', t.base())
        s.noop(5)
        s.call(s.verify, t.base())
        before = s.note_ids('A', 'B', 'C', 'D', 'E', same_step=True)
        s.update_stack('foo', added)
        s.noop(4)
        s.also(s.assert_counts, {'F': 1})
        s.rollback_stack('foo')
        s.noop(8)
        s.call(s.verify, t.base())
        s.run()
        s.assert_state('ROLLBACK_COMPLETE')
        self.assertEqual(before, {n: s.physical_ids(n) for n in before})
        s.assert_stale_did_nothing(2)

    def test_update_add_rollback_early(self):
        """Given an update adding F (after D) rolled back before F's create
        runs, then F's create goes stale and does nothing, the rollback
        drops F's never-created row, and the diamond is unchanged."""
        s = self.scenario
        added = t.plus(t.base(), F=RsrcDef({}, ['D']))
        s.create_stack('foo', t.base())
        s.noop(5)
        s.call(s.verify, t.base())
        before = s.note_ids('A', 'B', 'C', 'D', 'E', same_step=True)
        s.update_stack('foo', added)
        s.noop(4)
        s.rollback_stack('foo')
        s.noop(8)
        s.call(s.verify, t.base())
        s.run()
        s.assert_state('ROLLBACK_COMPLETE')
        self.assertEqual(before, {n: s.physical_ids(n) for n in before})
        self.assertEqual([], s.rows('F'))
        self.assertFalse(any('create F' in st.effect for st in s.steps))
        s.assert_stale_did_nothing(3)

    def test_update_remove_rollback(self):
        """Given an update removing B (C no longer needs it) rolled back
        before B's cleanup ran, then the rollback reuses B's row: B is the
        same physical resource, and C depends on it again."""
        removed = Template({
            'A': RsrcDef({}, []),
            'C': RsrcDef({'a': '4alpha'}, ['A']),
            'D': RsrcDef({'c': GetRes('C')}),
            'E': RsrcDef({'ca': GetAtt('C', 'a')}),
        })
        s = self.scenario
        s.create_stack('foo', t.base())
        s.noop(5)
        s.call(s.verify, t.base())
        noted = s.note_ids('B')
        s.update_stack('foo', removed)
        s.noop(2)
        s.rollback_stack('foo')
        s.noop(10)
        s.call(s.verify, t.base())
        s.run()
        s.assert_state('ROLLBACK_COMPLETE')
        self.assertEqual(1, len(noted['B']))
        self.assertEqual(noted['B'], s.physical_ids('B'))
        self.assertFalse(any('delete B' in st.effect for st in s.steps))
        [b_row], [c_row] = s.rows('B'), s.rows('C')
        self.assertIn(b_row['id'], c_row['requires'])
        s.assert_stale_did_nothing(2)


class ReplaceScenarios(ScenarioTestCase):

    def test_update_replace(self):
        """Given C's replace-only property fed by A, when A changes, then A is
        updated in place, C is replaced, D and E move to the new C, and the
        old C is deleted only after both moved; a later update adding F
        keeps the new C; a delete removes everything."""
        s = self.scenario
        long = t.plus(t.replaceable('updated'), F=t.after_d_and_e())
        s.create_stack('foo', t.replaceable('initial'))
        s.noop(5)
        s.call(s.verify, t.replaceable('initial'))
        original = s.note_ids('A', 'C')
        s.update_stack('foo', t.replaceable('updated'))
        s.noop(11)
        s.call(s.verify, t.replaceable('updated'))
        s.also(s.assert_state, 'UPDATE_COMPLETE')
        replaced = s.note_ids('A', 'C', same_step=True)
        s.update_stack('foo', long)
        s.noop(12)
        s.call(s.verify, long)
        final = s.note_ids('C')
        s.delete_stack('foo')
        s.noop(6)
        s.call(s.verify, t.EMPTY)
        s.run()
        s.assert_deleted()
        self.assertEqual(original['A'], replaced['A'])
        self.assertNotEqual(original['C'], replaced['C'])
        self.assertEqual(replaced['C'], final['C'])
        old_c_deleted = s.first_step('delete C')
        self.assertLess(s.first_step('update D'), old_c_deleted)
        self.assertLess(s.first_step('update E'), old_c_deleted)

    def test_update_replace_invert_deps(self):
        """Given B after A, both replace-only, when both change and A now
        comes after B, then both are replaced: new B first, old B deleted
        (its cleanup precedes old A's, from the old dependencies), then new
        A, then old A; mid-way there are two As and one B."""
        first = Template({
            'A': RsrcDef({'!a': 'initial'}, []),
            'B': RsrcDef({'!b': 'first'}, ['A']),
        })
        inverted = Template({
            'A': RsrcDef({'!a': 'updated'}, ['B']),
            'B': RsrcDef({'!b': 'second'}, []),
        })
        s = self.scenario
        s.create_stack('foo', first)
        s.noop(4)
        s.call(s.verify, first)
        original = s.note_ids('A', 'B', same_step=True)
        s.update_stack('foo', inverted)
        s.noop(4)
        s.call(s.assert_counts, {'A': 2, 'B': 1})
        s.noop(2)
        s.call(s.verify, inverted)
        s.call(s.assert_counts, {'A': 1, 'B': 1})
        inverted_ids = s.note_ids('A', 'B', same_step=True)
        s.delete_stack('foo')
        s.noop(3)
        s.call(s.verify, t.EMPTY)
        s.run()
        s.assert_deleted()
        self.assertTrue(original['A'].isdisjoint(inverted_ids['A']))
        self.assertTrue(original['B'].isdisjoint(inverted_ids['B']))
        effects = [e for st in s.steps[2:] for e in st.effect][:4]
        self.assertEqual(['create B', 'delete B', 'create A', 'delete A'],
                         effects)

    def test_update_replace_missed_cleanup(self):
        """Given an update replacing C whose last step, deleting the old C,
        is still queued, when another update (adding F) comes, then that
        cleanup goes stale and does nothing (two Cs exist), and the new
        update deletes the old C itself as a cleanup-only row, after the
        new C's cleanup node (the ``replaces`` edge)."""
        s = self.scenario
        long = t.plus(t.replaceable('updated'), F=t.after_d_and_e())
        s.create_stack('foo', t.replaceable('initial'))
        s.noop(5)
        s.call(s.verify, t.replaceable('initial'))
        s.update_stack('foo', t.replaceable('updated'))
        s.noop(7)
        s.update_stack('foo', long)
        s.call(s.assert_counts, {'C': 2})
        s.noop(11)
        s.call(s.verify, long)
        s.also(s.assert_state, 'UPDATE_COMPLETE')
        s.delete_stack('foo')
        s.noop(12)
        s.call(s.verify, t.EMPTY)
        s.run()
        s.assert_deleted()
        s.assert_stale_did_nothing(1)
        c_cleanups_of_t3 = [step.effect for step in s.steps
                            if step.traversal == 'T3'
                            and step.node.startswith('C:C#')]
        self.assertEqual([(), ('delete C',)], c_cleanups_of_t3)

    def test_update_replace_missed_cleanup_delete(self):
        """Given an update replacing C whose deletion of the old C is still
        queued, when the stack is deleted, then that cleanup goes stale and
        does nothing (two Cs exist), and the delete removes both Cs and
        everything else."""
        s = self.scenario
        s.create_stack('foo', t.replaceable('initial'))
        s.noop(5)
        s.call(s.verify, t.replaceable('initial'))
        s.update_stack('foo', t.replaceable('updated'))
        s.noop(7)
        s.delete_stack('foo')
        s.call(s.assert_counts, {'C': 2})
        s.noop(11)
        s.call(s.verify, t.EMPTY)
        s.run()
        s.assert_deleted()
        s.assert_stale_did_nothing(1)

    def test_update_replace_rollback(self):
        """Given an update that has replaced C and moved D to the new C, when
        it is rolled back, then the rollback picks the original C row again
        (two Cs exist meanwhile): A and D go back, the new C is deleted,
        and the original C is the one that remains."""
        s = self.scenario
        s.create_stack('foo', t.replaceable('initial'))
        s.noop(5)
        s.call(s.verify, t.replaceable('initial'))
        original = s.note_ids('C', same_step=True)
        s.update_stack('foo', t.replaceable('updated'))
        s.noop(4)
        s.rollback_stack('foo')
        s.call(s.assert_counts, {'C': 2})
        s.noop(11)
        s.call(s.verify, t.replaceable('initial'))
        s.also(s.assert_state, 'ROLLBACK_COMPLETE')
        rolled_back = s.note_ids('C', same_step=True)
        s.delete_stack('foo')
        s.noop(12)
        s.call(s.verify, t.EMPTY)
        s.run()
        s.assert_deleted()
        self.assertEqual(original['C'], rolled_back['C'])
        s.assert_stale_did_nothing(2)


class UserReplaceScenarios(ScenarioTestCase):

    def test_update_user_replace(self):
        """Given C, when the user renames it newC (and A changes), then newC
        is created, D and E move to it, and C is deleted after both moved;
        adding F later keeps newC; a delete removes everything."""
        s = self.scenario
        long = t.plus(t.renamed('updated'), F=t.after_d_and_e())
        s.create_stack('foo', t.replaceable('initial'))
        s.noop(5)
        s.call(s.verify, t.replaceable('initial'))
        original = s.note_ids('C')
        s.update_stack('foo', t.renamed('updated'))
        s.noop(11)
        s.call(s.verify, t.renamed('updated'))
        s.update_stack('foo', long)
        s.noop(12)
        s.call(s.verify, long)
        renamed = s.note_ids('newC')
        s.delete_stack('foo')
        s.noop(6)
        s.call(s.verify, t.EMPTY)
        s.run()
        s.assert_deleted()
        self.assertTrue(original['C'])
        self.assertNotEqual(original['C'], renamed['newC'])
        c_deleted = s.first_step('delete C')
        self.assertLess(s.first_step('update D'), c_deleted)
        self.assertLess(s.first_step('update E'), c_deleted)

    def test_update_user_replace_rollback(self):
        """Given a rename of C to newC that has created newC and moved D,
        when it is rolled back, then C (never touched) stays, A and D go
        back to it, and newC is deleted."""
        s = self.scenario
        s.create_stack('foo', t.replaceable('initial'))
        s.noop(5)
        s.call(s.verify, t.replaceable('initial'))
        original = s.note_ids('C', same_step=True)
        s.update_stack('foo', t.renamed('updated'))
        s.noop(3)
        s.rollback_stack('foo')
        s.noop(12)
        s.call(s.verify, t.replaceable('initial'))
        s.also(s.assert_state, 'ROLLBACK_COMPLETE')
        rolled_back = s.note_ids('C', same_step=True)
        s.delete_stack('foo')
        s.noop(6)
        s.call(s.verify, t.EMPTY)
        s.run()
        s.assert_deleted()
        self.assertEqual(original['C'], rolled_back['C'])
        self.assertTrue(any('create newC' in st.effect for st in s.steps))
        s.assert_stale_did_nothing(2)

    def test_update_user_replace_rollback_update(self):
        """Given an update replacing C rolled back while the replacement's
        create is still queued, then that create goes stale and does
        nothing, its row is dropped, and the original C is kept with its
        replacement link cleared; so a later in-place change of C updates
        the original C, within four messages; then a delete interrupting
        that update's last cleanup removes everything."""
        def c_with(a_value, b_value):
            return Template({
                'A': RsrcDef({'a': a_value}),
                'B': RsrcDef({}),
                'C': RsrcDef({'!a': GetAtt('A', 'a'), 'b': b_value}),
                'D': RsrcDef({'c': GetRes('C')}),
                'E': RsrcDef({'ca': GetAtt('C', '!a')}),
            })
        s = self.scenario
        s.create_stack('foo', c_with('initial', 'val1'))
        s.noop(5)
        s.call(s.verify, c_with('initial', 'val1'))
        original = s.note_ids('C', same_step=True)
        s.update_stack('foo', c_with('updated', 'val1'))
        s.noop(3)
        s.rollback_stack('foo')
        s.noop(12)
        s.call(s.verify, c_with('initial', 'val1'))
        s.also(s.assert_state, 'ROLLBACK_COMPLETE')
        s.also(self._assert_c_row_alone_and_unlinked)
        s.update_stack('foo', c_with('initial', 'val2'))
        s.noop(3)
        s.call(s.verify, c_with('initial', 'val2'))
        updated = s.note_ids('C', same_step=True)
        s.noop(4)
        s.delete_stack('foo')
        s.noop(6)
        s.call(s.verify, t.EMPTY)
        s.run()
        s.assert_deleted()
        self.assertEqual(original['C'], updated['C'])
        self.assertFalse(any('create C' in st.effect for st in s.steps[5:]))
        s.assert_stale_did_nothing(2)

    def _assert_c_row_alone_and_unlinked(self):
        """The dropped replacement's row is gone; the original C row no
        longer points at it."""
        rows = self.scenario.rows('C')
        self.assertEqual([None], [r['replaced_by'] for r in rows])
