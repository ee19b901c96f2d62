"""An admin of another project acts on a user's stack by its identity, as
Heat's _get_stack lets ``context_is_admin`` do (test_admin_actions): update,
suspend, resume, list, delete. Anybody else in another project does not
find it."""

from convergence import exceptions
from convergence.rpc import context as rpc_context
from convergence.tests.scenarios import framework

T, R = framework.Template, framework.RsrcDef
NAME = framework.STACK_NAME


class AdminOfAnotherProject(framework.ScenarioTestCase):

    def setUp(self):
        super().setUp()
        self.admin = rpc_context.RequestContext(
            project_id='admin', user_id='admin', roles=['admin'],
            is_admin=True)
        self.stranger = rpc_context.RequestContext(
            project_id='other', user_id='eve', roles=['member'])
        self.service = self.scenario.engine_service
        self.scenario.create_stack(NAME, T({'A': R({'v': 1})}))
        self.scenario.run()
        self.scenario.assert_state('CREATE_COMPLETE')

    def identity(self) -> dict:
        return self.scenario._identity(NAME)

    def test_update_suspend_resume_list_and_delete(self):
        updated = T({'A': R({'v': 2})})
        self.scenario.call(self.service.update_stack, self.admin,
                           self.identity(), updated.to_hot(),
                           {'parameters': {}}, {}, {})
        self.scenario.run()
        self.scenario.assert_state('UPDATE_COMPLETE')
        self.scenario.verify(updated)
        for action in ('suspend', 'resume'):
            self.scenario.call(getattr(self.service, 'stack_' + action),
                               self.admin, self.identity())
            self.scenario.run()
            self.scenario.assert_state(action.upper() + '_COMPLETE')
        self.assertEqual(
            ['A'], [r['resource_name'] for r in
                    self.service.list_stack_resources(self.admin,
                                                      self.identity())])
        shown = self.service.show_stack(self.admin, self.identity())[0]
        self.assertEqual('test', shown['stack_identity']['tenant'])
        self.assertEqual(
            self.identity()['stack_id'],
            self.service.identify_stack(
                self.admin, self.identity()['stack_id'])['stack_id'])
        self.scenario.call(self.service.delete_stack, self.admin,
                           self.identity())
        self.scenario.run()
        self.scenario.assert_deleted()

    def test_anybody_else_does_not_find_it(self):
        for call in (
                lambda: self.service.show_stack(self.stranger,
                                                self.identity()),
                lambda: self.service.stack_suspend(self.stranger,
                                                   self.identity()),
                lambda: self.service.delete_stack(self.stranger,
                                                  self.identity()),
                lambda: self.service.identify_stack(
                    self.stranger, self.identity()['stack_id'])):
            self.assertRaises(exceptions.EntityNotFound, call)
        self.scenario.assert_state('CREATE_COMPLETE')
