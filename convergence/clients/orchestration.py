"""Heat's orchestration API through an openstacksdk Connection
(cloud_ports.OrchestrationAPI), for OS::Heat::Stack.

Stacks as plain dicts with the API's field names (``stack_status``,
``outputs`` as a list of ``output_key``/``output_value``).  A stack is
addressed by its canonical ``/stacks/<name>/<id>`` path, so no call depends
on how a redirect of the ``/stacks/<id>`` lookup is followed.  A create is
never repeated: a repeat after an answer that was lost would make a second
stack (or be refused with 409 as a name already taken).
"""

from convergence.clients import http
from convergence.clients import rest

SERVICE_TYPE = 'orchestration'


def stack_path(name: str, stack_id: str) -> str:
    return '/stacks/%s/%s' % (name, stack_id)


class SdkOrchestration(rest.RestService):
    """cloud_ports.OrchestrationAPI on ``proxy`` (an orchestration proxy)."""

    def validate(self, body: dict) -> dict:
        return self.call('validate template', 'POST', '/validate',
                         json=body).json()

    def create(self, body: dict) -> str:
        response = http.request(self.proxy, 'POST', '/stacks', json=body)
        return response.json()['stack']['id']

    def show(self, name: str, stack_id: str) -> dict | None:
        body = self.get_or_none('show stack', stack_path(name, stack_id))
        return None if body is None else body['stack']

    def update(self, name: str, stack_id: str, body: dict) -> None:
        self.call('update stack', 'PUT', stack_path(name, stack_id),
                  json=body)

    def delete(self, name: str, stack_id: str) -> bool:
        return self.delete_or_false('delete stack',
                                    stack_path(name, stack_id))

    def action(self, name: str, stack_id: str, action: str) -> None:
        self.call('%s stack' % action, 'POST',
                  stack_path(name, stack_id) + '/actions',
                  json={action: None})
