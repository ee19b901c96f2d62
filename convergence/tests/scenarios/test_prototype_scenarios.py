"""The scenarios of the 2014 convergence prototypes that Heat never ported.

``linear_basic_create`` comes from the ``iterative-adapted`` branch;
``update_replace2``, ``update_replace3`` and ``update_replace_independent``
from Michał's ``iterative`` branch, whose DSL checked database rows after
running whole converge passes.  Here they are told in the DSL of the Heat
scenarios (``noop(n)`` lets n+1 worker messages through) and checked on
the fake cloud.  Their templates spell out ``depends_on`` for every
reference, as that branch needed; the engine must not mind the
redundancy.
"""

from convergence.tests.scenarios import templates as t
from convergence.tests.scenarios.framework import GetAtt
from convergence.tests.scenarios.framework import GetRes
from convergence.tests.scenarios.framework import RsrcDef
from convergence.tests.scenarios.framework import ScenarioTestCase
from convergence.tests.scenarios.framework import Template


def _explicit(a_value: str) -> Template:
    """The replacement template with every dependency also explicit."""
    return Template({
        'A': RsrcDef({'a': a_value}),
        'B': RsrcDef({}),
        'C': RsrcDef({'!a': GetAtt('A', 'a')}, ['B', 'A']),
        'D': RsrcDef({'c': GetRes('C')}, ['C']),
        'E': RsrcDef({'ca': GetAtt('C', '!a')}, ['C']),
    })


def _c_renamed_c2() -> Template:
    """A changes, and C is renamed C2: D and E must follow to C2."""
    return Template({
        'A': RsrcDef({'a': 'updated'}),
        'B': RsrcDef({}),
        'C2': RsrcDef({'!a': GetAtt('A', 'a')}, ['B', 'A']),
        'D': RsrcDef({'c': GetRes('C2')}, ['C2']),
        'E': RsrcDef({'ca': GetAtt('C2', '!a')}, ['C2']),
    })


class PrototypeScenarios(ScenarioTestCase):

    def test_linear_basic_create(self):
        """Given a chain A <- B <- C <- E <- D declared out of order (and E
        after D in row order), when it is created, then the resources are
        created in dependency order, one per message, and all five exist
        with the right references."""
        chain = Template({
            'C': RsrcDef({'a': '4alpha'}, ['B']),
            'D': RsrcDef({'c': GetRes('C')}, ['C', 'E']),
            'E': RsrcDef({'ca': GetAtt('C', 'a')}, ['C']),
            'A': RsrcDef({}, []),
            'B': RsrcDef({}, ['A']),
        })
        s = self.scenario
        s.create_stack('foo', chain)
        s.noop(7)
        s.call(s.verify, chain)
        s.also(s.assert_state, 'CREATE_COMPLETE')
        s.run()
        self.assertEqual(
            [('create A',), ('create B',), ('create C',), ('create E',),
             ('create D',)],
            [step.effect for step in s.steps])

    def test_update_replace2(self):
        """Given C fed by A, when A changes and C is renamed C2 in the same
        update, then C2 is created from A's new value, D and E are updated
        in place to point at C2, C is deleted, and A is updated in place."""
        s = self.scenario
        s.create_stack('foo', _explicit('initial'))
        s.noop(5)
        s.call(s.verify, _explicit('initial'))
        before = s.note_ids('A', 'B', 'C', 'D', 'E', same_step=True)
        s.update_stack('foo', _c_renamed_c2())
        s.noop(10)
        s.call(s.verify, _c_renamed_c2())
        s.also(s.assert_state, 'UPDATE_COMPLETE')
        after = s.note_ids('A', 'B', 'C2', 'D', 'E', same_step=True)
        s.delete_stack('foo')
        s.noop(5)
        s.call(s.verify, t.EMPTY)
        s.run()
        s.assert_deleted()
        for name in 'ABDE':
            self.assertEqual(before[name], after[name], name)
        self.assertTrue(before['C'].isdisjoint(after['C2']))

    def test_update_replace3(self):
        """Given C fed by A, when A changes and C is renamed C2, then mid-way
        C and C2 coexist: A and C2 already hold the new value while D and
        E still use C; in the end D and E have moved to C2 and only then
        is C deleted.

        (The prototype's version expected C2 to hold A's *old* value while
        A held the new one; C2 is only created once A is updated.)"""
        s = self.scenario
        s.create_stack('foo', _explicit('initial'))
        s.noop(5)
        s.call(s.verify, _explicit('initial'))
        old_c = s.note_ids('C', same_step=True)
        s.update_stack('foo', _c_renamed_c2())
        s.noop(2)
        s.call(self._assert_c_and_c2_coexist, old_c)
        s.noop(8)
        s.call(s.verify, _c_renamed_c2())
        s.also(s.assert_state, 'UPDATE_COMPLETE')
        s.run()
        c_deleted = s.first_step('delete C')
        self.assertLess(s.first_step('update D'), c_deleted)
        self.assertLess(s.first_step('update E'), c_deleted)

    def _assert_c_and_c2_coexist(self, old_c):
        s = self.scenario
        s.assert_counts({'C': 1, 'C2': 1})
        self.assertEqual(old_c['C'], s.physical_ids('C'))
        self.assertEqual({'a': 'updated'}, s.props('A'))
        self.assertEqual({'!a': 'updated'}, s.props('C2'))
        self.assertEqual({'c': old_c['C'].copy().pop()}, s.props('D'))
        self.assertEqual({'ca': 'initial'}, s.props('E'))

    def test_update_replace_independent(self):
        """Given C fed by A, when A is renamed A2 with a new value, then A2 is
        created, C is updated in place to A2's value (same physical
        resource), E follows C, D and B are untouched, and A is deleted
        only after C stopped using it.

        (C's property is the in-place ``a``: the prototype's ``!a`` did not
        force replacement on its branch, and C updated in place is what
        the scenario is about.)"""
        def with_source(source: str, value: str) -> Template:
            return Template({
                source: RsrcDef({'a': value}),
                'B': RsrcDef({}),
                'C': RsrcDef({'a': GetAtt(source, 'a')}, ['B', source]),
                'D': RsrcDef({'c': GetRes('C')}, ['C']),
                'E': RsrcDef({'ca': GetAtt('C', 'a')}, ['C']),
            })
        s = self.scenario
        s.create_stack('foo', with_source('A', 'initial'))
        s.noop(5)
        s.call(s.verify, with_source('A', 'initial'))
        before = s.note_ids('B', 'C', 'D', 'E', same_step=True)
        s.update_stack('foo', with_source('A2', 'updated'))
        s.noop(10)
        s.call(s.verify, with_source('A2', 'updated'))
        s.also(s.assert_state, 'UPDATE_COMPLETE')
        after = s.note_ids('B', 'C', 'D', 'E', same_step=True)
        s.delete_stack('foo')
        s.noop(5)
        s.call(s.verify, t.EMPTY)
        s.run()
        s.assert_deleted()
        self.assertEqual(before, after)
        update_effects = sorted(e for step in s.steps[5:]
                                for e in step.effect if step.traversal == 'T2')
        self.assertEqual(['create A2', 'delete A', 'update C', 'update E'],
                         update_effects)
        self.assertLess(s.first_step('update C'), s.first_step('delete A'))
