"""The scenario base of the cloud types: the in-memory cloud, and a member
of project ``test`` (user alice, with a token) driving one stack of
``framework.STACK_NAME`` through the engine service."""

from convergence.clients import memory
from convergence.rpc import context as rpc_context
from convergence.tests.scenarios import framework

NAME = framework.STACK_NAME


class MemberCloudScenario(framework.ScenarioTestCase):
    """``clouds`` (the in-memory cloud, of ``services`` when given),
    ``network`` and ``user``; each call runs the queue to quiet."""

    services: tuple | None = None

    def setUp(self):
        super().setUp()
        self.clouds = (memory.InMemoryClouds() if self.services is None
                       else memory.InMemoryClouds(services=self.services))
        self.scenario.rt.clouds = self.clouds
        self.network = self.clouds.cloud.network
        self.user = rpc_context.RequestContext(
            project_id='test', user_id='alice', auth_token='token',
            roles=['member'])
        self.scenario.context = self.user

    def create(self, template: dict, files: dict | None = None) -> None:
        self.scenario.call(self.scenario.engine_service.create_stack,
                           self.user, NAME, template, {'parameters': {}},
                           files or {}, {})
        self.scenario.run()

    def update(self, template: dict) -> None:
        self.scenario.call(lambda: self.scenario.engine_service.update_stack(
            self.user, self.scenario._identity(NAME), template,
            {'parameters': {}}, {}, {}))
        self.scenario.run()

    def check(self) -> None:
        self.scenario.call(self.scenario.engine_service.stack_check,
                           self.user, self.scenario._identity(NAME))
        self.scenario.run()

    def stack(self) -> dict:
        return self.scenario.db.stack_get_by_name('test', NAME)

    def state(self) -> str:
        """``<ACTION>_<STATUS>: <reason>`` of the stack."""
        stack = self.stack()
        return '%s_%s: %s' % (stack['action'], stack['status'],
                              stack['status_reason'])
