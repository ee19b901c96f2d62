"""The two orchestration services of the cloud benchmark, and the one REST
client both are driven and timed with.

``OurService``: a ``convergence-all`` (functional_tests/server.py, its own
SQLite file) in keystone mode, validating the cloud's tokens
(``[keystone_authtoken]``) and acting for the stack's user through a trust
to the project's trustee (``[trustee]``), as functional_tests/cloud/
stacks.ProjectServer runs it.  ``UpstreamService``: Heat 27.0.1 as the
cloud's orchestration service (functional_tests/cloud/heat_service.py:
heat-engine, heat-api under uwsgi, MariaDB, trusts).

``StackApi`` speaks Heat's REST API (which both serve) as the project's
member, with a keystoneauth session (one token, refreshed when it expires).
A phase is timed from the request until the stack is ``<ACTION>_COMPLETE``
(or gone, for a delete); polls of ``GET /stacks/<name>/<id>`` back off
with the elapsed time (5% of it, 0.1 to 0.5 s), so the error is at most
about 5% or half a second.
"""

import os
import shutil
import time

import fixtures

from functional_tests.cloud import heat_service
from functional_tests import processes
from functional_tests import server

REQUEST_TIMEOUT = 120


class StackFailed(Exception):
    """The stack went to FAILED, or did not finish in time."""


class StackApi:
    """Heat's REST API at ``endpoint`` (``.../v1/<project_id>``)."""

    def __init__(self, label: str, endpoint: str, session,
                 timeout: float = 1800):
        self.label, self.endpoint = label, endpoint.rstrip('/')
        self.session, self.timeout = session, timeout

    def _call(self, method: str, path: str, body: dict | None = None,
              ok=(200, 201, 202, 204)):
        response = self.session.request(
            self.endpoint + path, method, json=body, raise_exc=False,
            timeout=REQUEST_TIMEOUT, headers={'Accept': 'application/json'})
        if response.status_code not in ok:
            raise StackFailed('%s: %s %s answered %s: %s' % (
                self.label, method, path, response.status_code,
                response.text[:2000]))
        return response

    def create(self, name: str, template: dict) -> str:
        body = self._call('POST', '/stacks', {
            'stack_name': name, 'template': template, 'parameters': {},
            'disable_rollback': True, 'timeout_mins': 60}).json()
        return body['stack']['id']

    def update(self, name: str, stack_id: str, template: dict) -> None:
        self._call('PUT', '/stacks/%s/%s' % (name, stack_id), {
            'template': template, 'parameters': {},
            'disable_rollback': True, 'timeout_mins': 60})

    def delete(self, name: str, stack_id: str) -> None:
        self._call('DELETE', '/stacks/%s/%s' % (name, stack_id))

    def status(self, name: str, stack_id: str) -> tuple[str, str] | None:
        """(stack_status, reason), or None once the stack is gone."""
        response = self._call('GET', '/stacks/%s/%s' % (name, stack_id),
                              ok=(200, 404))
        if response.status_code == 404:
            return None
        stack = response.json()['stack']
        return stack['stack_status'], stack['stack_status_reason']

    def wait(self, name: str, stack_id: str, wanted: str,
             started: float) -> float:
        """Seconds from ``started`` until the stack is ``wanted`` (a gone
        stack counts as DELETE_COMPLETE)."""
        deadline = started + self.timeout
        while True:
            state = self.status(name, stack_id)
            now = time.monotonic()
            if state is None and wanted == 'DELETE_COMPLETE':
                return now - started
            if state is None:
                raise StackFailed('%s: stack %s is gone, not %s' % (
                    self.label, name, wanted))
            if state[0] == wanted:
                return now - started
            if state[0].endswith('FAILED'):
                raise StackFailed('%s: %s %s: %s' % (
                    self.label, name, state[0], state[1]))
            if now > deadline:
                raise StackFailed('%s: %s still %s after %gs' % (
                    self.label, name, state[0], self.timeout))
            time.sleep(min(0.5, max(0.1, 0.05 * (now - started))))

    def resource_states(self, name: str, stack_id: str) -> dict[str, int]:
        """``ACTION_STATUS`` -> how many of the stack's resources."""
        body = self._call('GET', '/stacks/%s/%s/resources' % (
            name, stack_id)).json()
        states: dict[str, int] = {}
        for row in body['resources']:
            states[row['resource_status']] = states.get(
                row['resource_status'], 0) + 1
        return states


class OurService(fixtures.Fixture):
    """A keystone-mode convergence-all for the project of ``users`` (a
    local_cloud.ProjectUsers); ``endpoint`` is its ``/v1/<project>``."""

    def __init__(self, cloud, users, logs: str,
                 options: dict | None = None):
        super().__init__()
        self.cloud, self.users, self.options = cloud, users, options or {}
        self.logs = logs

    def _setUp(self):
        self.server = self.useFixture(server.ServerFixture(
            config=self.options, sections={
                'paste_deploy': {'flavor': 'keystone'},
                'keystone_authtoken': self.cloud.authtoken(),
                'trustee': self.users.trustee_options()}))
        # (runs before the server's clean-up removes its directory)
        self.addCleanup(_keep, [self.server.log_path], self.logs, 'ours-')
        self.endpoint = '%s/v1/%s' % (self.server.base_url,
                                      self.users.project.id)


class UpstreamService(fixtures.Fixture):
    """Heat 27.0.1 as the cloud's orchestration service, the member of
    ``users`` given ``heat_stack_owner`` (as Heat's deployers give their
    users); ``endpoint`` is heat-api's ``/v1/<project>``."""

    def __init__(self, cloud, users, logs: str):
        super().__init__()
        self.cloud, self.users, self.logs = cloud, users, logs

    def _setUp(self):
        if self.cloud.layout is None:
            raise heat_service.HeatServiceFailed(
                'upstream Heat runs on our own cloud only')
        self.heat = self.useFixture(heat_service.UpstreamHeatService(
            self.cloud.layout, processes.console_script('uwsgi')))
        self.addCleanup(_keep, [
            os.path.join(self.heat.state, name) for name in (
                'heat.log', 'heat-engine.log', 'heat-api.log')],
            self.logs, 'upstream-')
        identity_api = self.cloud.admin.connection().identity
        identity_api.assign_project_role_to_user(
            self.users.project, self.users.user,
            identity_api.find_role(heat_service.ROLES[0]))
        self.endpoint = self.heat.url.replace('$(project_id)s',
                                              self.users.project.id)


def _keep(paths: list[str], directory: str, prefix: str) -> None:
    """Copy the logs that exist into ``directory`` (names prefixed)."""
    for path in paths:
        if os.path.exists(path):
            shutil.copy(path, os.path.join(
                directory, prefix + os.path.basename(path)))
