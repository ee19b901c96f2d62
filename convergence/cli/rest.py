"""The orchestration REST API as the CLI uses it, over a keystoneauth
session: our convergence-api or any heat-api."""

from typing import Any
from urllib import parse

from convergence import stack_graph

# heat-api's max_nested_stack_depth default: every level a stack can have.
NESTED_DEPTH = 5


class ApiError(Exception):
    """An error answer, with Heat's fault message when it sent one."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__('%s (HTTP %s)' % (message, status))
        self.status = status


def _fault_message(resp) -> str:
    try:
        body = resp.json()
    except ValueError:
        return resp.text.strip() or resp.reason
    error = body.get('error') if isinstance(body, dict) else None
    if isinstance(error, dict) and error.get('message'):
        return error['message']
    return (body.get('explanation') if isinstance(body, dict) else None) \
        or resp.reason


class Orchestration:
    """Calls on ``endpoint`` (``.../v1/<tenant>``) through ``session``."""

    def __init__(self, session, endpoint: str) -> None:
        self.session = session
        self.endpoint = endpoint.rstrip('/')
        # None until asked: whether the API serves .../graph (ours does)
        self.serves_graph: bool | None = None

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        resp = self.session.request(
            self.endpoint + path, method, json=body, raise_exc=False,
            headers={'Accept': 'application/json'})
        if resp.status_code >= 400:
            raise ApiError(resp.status_code, _fault_message(resp))
        return resp.json() if resp.content else None

    @staticmethod
    def _path(stack: dict) -> str:
        return '/stacks/%s/%s' % (parse.quote(stack['stack_name'], safe=''),
                                  stack['id'])

    def find(self, name: str) -> dict | None:
        """The stack named ``name`` (or with that id), None if none."""
        try:
            return self._call('GET', '/stacks/' + parse.quote(
                name, safe=''))['stack']
        except ApiError as err:
            if err.status == 404:
                return None
            raise

    def show(self, stack: dict) -> dict:
        return self._call('GET', self._path(stack))['stack']

    def create(self, fields: dict) -> dict:
        return self._call('POST', '/stacks', fields)['stack']

    def update(self, stack: dict, fields: dict) -> None:
        self._call('PUT', self._path(stack), fields)

    def preview_update(self, stack: dict, fields: dict) -> dict:
        return self._call('PUT', self._path(stack) + '/preview',
                          fields)['resource_changes']

    def template(self, stack: dict) -> dict:
        return self._call('GET', self._path(stack) + '/template')

    def resources(self, stack: dict) -> list[dict]:
        return self._call('GET', self._path(stack) + '/resources?nested_depth'
                          '=%d' % NESTED_DEPTH)['resources']

    def graph(self, stack: dict) -> dict:
        """Our API's ``.../graph``; against a heat-api, which lacks it,
        the same graph built here from the stack and its resources."""
        if self.serves_graph is not False:
            try:
                graph = self._call('GET', self._path(stack) + '/graph')
                self.serves_graph = True
                return graph['graph']
            except ApiError as err:
                if err.status != 404 or self.serves_graph:
                    raise   # ours said 404: the stack is gone
                self.serves_graph = False
        shown = self.show(stack)   # a 404 now: the stack itself is gone
        return stack_graph.build(shown, self.resources(shown))
