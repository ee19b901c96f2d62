"""Abandon and adopt as traversals meet them: mid-create, and back again.

Abandon keeps every physical resource; messages of the abandoned
traversal still in the queue do no work.
"""

from convergence.tests.scenarios.framework import GetAtt
from convergence.tests.scenarios.framework import RsrcDef
from convergence.tests.scenarios.framework import ScenarioTestCase
from convergence.tests.scenarios.framework import Template


def _chain() -> Template:
    return Template({'A': RsrcDef({'a': 'one'}),
                     'B': RsrcDef({'b': GetAtt('A', 'a')}),
                     'C': RsrcDef({'c': GetAtt('B', 'b')})})


class AbandonScenarios(ScenarioTestCase):

    def setUp(self):
        super().setUp()
        conf = self.scenario.engine_service.conf
        conf.enable_stack_abandon = conf.enable_stack_adopt = True
        self.abandoned = []

    def abandon(self):
        s = self.scenario
        self.abandoned.append(s.engine_service.abandon_stack(
            s.context, s._identity('foo')))

    def test_abandon_mid_create_keeps_what_exists_and_stops(self):
        """Given a create that has made A, when the stack is abandoned,
        then A stays in the cloud, nothing more is created or deleted, the
        stack is DELETE_COMPLETE and no row is left."""
        s = self.scenario
        s.create_stack('foo', _chain())
        s.call(self.abandon)
        s.run()
        self.assertEqual({'A'}, {r['name'] for r in
                                 s.reality.all_resources().values()})
        stack = s.db.stack_get(self.abandoned[0]['id'])
        self.assertEqual(('DELETE', 'COMPLETE'),
                         (stack['action'], stack['status']))
        self.assertEqual([], s.db.resources_of_stack(stack['id'],
                                                     active_only=False))
        s.assert_stale_did_nothing()
        entries = self.abandoned[0]['resources']
        self.assertEqual(set(s.reality.all_resources()),
                         {entries['A']['resource_id']})

    def test_adopt_takes_the_abandoned_resources_back(self):
        """Given an abandoned stack, when its data is adopted, then the new
        stack is ADOPT_COMPLETE over the same cloud, nothing created."""
        s = self.scenario
        s.create_stack('foo', _chain())
        s.noop(3)
        s.call(self.abandon)
        s.run()
        before = dict(s.reality.all_resources())
        s.engine_service.create_stack(
            s.context, 'foo', _chain().to_hot(), {'parameters': {}}, {},
            {'adopt_stack_data': self.abandoned[0]})
        s.run()
        self.assertEqual('ADOPT_COMPLETE', s.stack_state())
        self.assertEqual(before, s.reality.all_resources())
        s.verify(_chain())
