"""The functional test case: one server per test class, heatclient helpers.

Each test class gets its own deployment (started in ``setUpClass``;
restarted if a test killed it) and each test its own stack names, so tests
in a class never see each other's stacks by name.  The deployment is the one
``deployment.from_environment()`` picks: one ``convergence-all`` by default,
or engines and an API on MariaDB or PostgreSQL.  On failure the log lines
every process wrote during the test are attached.
"""

import os
import time
import uuid

import fixtures
from heatclient import client as heat_client
from heatclient import exc as heat_exc
import requests
import testtools
from testtools import content

from functional_tests import deployment as deployment_mod
from functional_tests import server as server_mod
from functional_tests import waiting

# Seconds any stack operation here may take; the templates wait a few
# seconds at most, so this only bounds a hung engine.
STACK_TIMEOUT = 90
# Seconds a stack may stay FAILED before the awaited rollback starts.
ROLLBACK_GRACE = 10
TERMINAL = frozenset('%s_%s' % (action, status)
                     for action in ('CREATE', 'UPDATE', 'DELETE', 'ROLLBACK',
                                    'SUSPEND', 'RESUME', 'CHECK')
                     for status in ('COMPLETE', 'FAILED'))
IN_PROGRESS = '_IN_PROGRESS'


def set_up(fixture: fixtures.Fixture) -> fixtures.Fixture:
    """``fixture``, set up; if that fails, cleaned up before the error is
    raised (a fixture set up for a class has no test to clean it up)."""
    try:
        fixture.setUp()
    except Exception:
        fixture.cleanUp()
        raise
    return fixture


class FunctionalTestCase(testtools.TestCase):
    """Base class: ``self.client`` is a noauth python-heatclient."""

    server = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._start_server()

    @classmethod
    def tearDownClass(cls):
        if isinstance(cls.server, fixtures.Fixture):
            cls.server.cleanUp()
        cls.server = None
        super().tearDownClass()

    @classmethod
    def _start_server(cls):
        endpoint = os.environ.get('CONVERGENCE_TEST_ENDPOINT')
        if endpoint:
            cls.server = server_mod.ExternalServer(endpoint)
            return
        cls.server = set_up(deployment_mod.from_environment())

    def setUp(self):
        super().setUp()
        if self.server is None or not self.server.alive():
            # an earlier test killed it; that test has failed already
            type(self).tearDownClass()
            type(self)._start_server()
        mark = self.server.log_mark()
        self.addOnException(lambda exc_info: self.addDetail(
            'server-log', content.text_content(
                self.server.log_since(mark) or '(empty)')))
        self.endpoint = self.server.endpoint
        self.client = heat_client.Client('1', endpoint=self.endpoint,
                                         token='x')
        if isinstance(self.server, server_mod.ExternalServer):
            self._names = []
            self.addCleanup(self._delete_my_stacks)

    # -- naming -----------------------------------------------------------

    def stack_name(self, suffix: str = '') -> str:
        """A fresh stack name saying which test made it."""
        test = self.id().rsplit('.', 1)[-1].replace('test_', '', 1)[:24]
        name = 'ft-%s%s-%s' % (test, suffix, uuid.uuid4().hex[:6])
        if hasattr(self, '_names'):
            self._names.append(name)
        return name

    def _delete_my_stacks(self):
        for name in self._names:
            try:
                self.client.stacks.delete(name)
            except heat_exc.HTTPException:
                pass

    # -- stack operations ---------------------------------------------------

    def create_stack(self, template: str, parameters: dict | None = None,
                     disable_rollback: bool = True,
                     expected: str | None = 'CREATE_COMPLETE',
                     name: str | None = None, **fields) -> str:
        """POST a stack; wait for ``expected`` unless None; return 'name/id'."""
        name = name or self.stack_name()
        body = self.client.stacks.create(
            stack_name=name, template=template, parameters=parameters or {},
            disable_rollback=disable_rollback, **fields)
        identifier = '%s/%s' % (name, body['stack']['id'])
        if expected:
            self.wait_for_status(identifier, expected)
        return identifier

    def update_stack(self, identifier: str, template: str | None = None,
                     parameters: dict | None = None, existing: bool = False,
                     expected: str | None = 'UPDATE_COMPLETE',
                     **fields) -> None:
        """PUT (or PATCH with ``existing``) and wait for ``expected``."""
        stale = self.stack_status(identifier)
        self.client.stacks.update(identifier, template=template,
                                  parameters=parameters or {},
                                  existing=existing, **fields)
        if expected:
            self.wait_for_status(identifier, expected, stale=stale)

    def delete_stack(self, identifier: str, wait: bool = True) -> None:
        self.client.stacks.delete(identifier)
        if wait:
            self.wait_for_status(identifier, 'DELETE_COMPLETE')

    # -- observations --------------------------------------------------------

    def stack(self, identifier: str):
        return self.client.stacks.get(identifier, resolve_outputs=False)

    def stack_status(self, identifier: str) -> str:
        return self.stack(identifier).stack_status

    def outputs(self, identifier: str) -> dict:
        stack = self.client.stacks.get(identifier)
        return {o['output_key']: o.get('output_value')
                for o in getattr(stack, 'outputs', None) or []}

    def resources(self, identifier: str) -> dict:
        """{name: resource} of the stack's current resources."""
        return {r.resource_name: r
                for r in self.client.resources.list(identifier)}

    def resource_statuses(self, identifier: str) -> dict:
        return {name: r.resource_status
                for name, r in self.resources(identifier).items()}

    def physical_ids(self, identifier: str) -> dict:
        return {name: r.physical_resource_id
                for name, r in self.resources(identifier).items()}

    def events(self, identifier: str, resource_name: str | None = None,
               **filters) -> list:
        """The stack's events, oldest first (optionally of one resource)."""
        if resource_name:
            filters['resource_name'] = resource_name
        return self.client.events.list(identifier, sort_dir='asc',
                                       filters=filters)

    def event_statuses(self, identifier: str, resource_name: str) -> list:
        return [e.resource_status
                for e in self.events(identifier, resource_name)]

    # -- waiting ---------------------------------------------------------

    def wait_for_status(self, identifier: str, expected: str,
                        timeout: float = STACK_TIMEOUT,
                        stale: str | None = None):
        """Poll until the stack shows ``expected``; return the stack.

        Fails at once on any other final status except ``stale`` (the
        status from before the operation, which may still show briefly) and,
        when a rollback is awaited, the failure that started it.
        A deleted stack may also answer 404 when DELETE_COMPLETE is wanted.
        """
        last = {}
        tolerated = {expected, stale}
        # a rollback follows, soon, the failure of the operation it undoes
        before_rollback = ({'CREATE_FAILED', 'UPDATE_FAILED'}
                           if expected.startswith('ROLLBACK_') else set())
        rollback_due = []

        def probe():
            try:
                stack = self.stack(identifier)
            except heat_exc.HTTPNotFound:
                if expected == 'DELETE_COMPLETE':
                    return 'gone'
                raise
            status = stack.stack_status
            last['status'] = '%s (%s)' % (status, stack.stack_status_reason)
            if status == expected:
                return stack
            if status in before_rollback:
                if not rollback_due:
                    rollback_due.append(time.monotonic() + ROLLBACK_GRACE)
                if time.monotonic() < rollback_due[0]:
                    return None
            if status in TERMINAL - tolerated:
                self.fail('stack %s went to %s while waiting for %s'
                          % (identifier, last['status'], expected))
            return None
        return waiting.wait_until(
            probe, timeout, 'stack %s status %s' % (identifier, expected),
            describe=lambda: last.get('status'))

    def wait_for_resource_status(self, identifier: str, resource: str,
                                 expected: str,
                                 timeout: float = STACK_TIMEOUT):
        last = {}

        def probe():
            res = self.client.resources.get(identifier, resource)
            last['status'] = res.resource_status
            return res if res.resource_status == expected else None
        return waiting.wait_until(
            probe, timeout, '%s status %s' % (resource, expected),
            describe=lambda: last.get('status'))

    def wait_quiet(self, identifier: str, timeout: float = STACK_TIMEOUT):
        """Wait until neither the stack nor a resource is IN_PROGRESS."""
        def probe():
            statuses = [self.stack_status(identifier)]
            statuses += self.resource_statuses(identifier).values()
            return not any(s.endswith(IN_PROGRESS) for s in statuses)
        waiting.wait_until(
            probe, timeout, 'stack %s quiet' % identifier,
            describe=lambda: str(self.resource_statuses(identifier)))

    # -- raw HTTP -----------------------------------------------------------

    def http(self, method: str, path: str, **kwargs) -> requests.Response:
        """A request to ``<endpoint><path>``, redirects followed.

        On a connection of its own, closed after the answer: left to
        requests, a call's connection stays open until the garbage collector
        finds it, and threads of such calls hold hundreds at once, more than
        the API grants one client address (its 503s are not the server's).
        """
        headers = {'X-Auth-Token': 'x', 'Accept': 'application/json',
                   'Connection': 'close'}
        headers.update(kwargs.pop('headers', {}))
        return requests.request(method, self.endpoint + path,
                                headers=headers, timeout=30, **kwargs)

    def assertHeatError(self, response: requests.Response, code: int,
                        error_type: str, *message_parts: str) -> dict:
        """``response`` is Heat's error body: code, title, explanation and
        ``error`` {type, message, traceback: null}; the message holds each
        of ``message_parts``."""
        self.assertEqual(code, response.status_code, response.text)
        body = response.json()
        self.assertEqual(code, body['code'])
        self.assertIn('title', body)
        self.assertIn('explanation', body)
        error = body['error']
        self.assertEqual(error_type, error['type'], error)
        self.assertIsNone(error['traceback'])
        for part in message_parts:
            self.assertIn(part, error['message'])
        return error
