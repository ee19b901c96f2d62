"""Signals to software deployments, and the engine-served agent URLs.

- ``signal_software_deployment``: heat-engine's RPC method (its arguments,
  errors and result).  A deployment that is not IN_PROGRESS takes nothing
  (None); one a resource's action waits for wakes that row
  (worker/signal_wait.py); any other one is updated in the store, as
  heat-engine does.
- ``agent_metadata`` and ``agent_signal`` (ours): what the API answers at
  the URLs servers get (software_config/agent_urls.py).  The token is the
  credential: a token that is unknown, of the wrong kind, of a server or
  deployment that is gone, or of a deployment action that already took its
  signal, is NotFound (404) and changes nothing.  A signal's body must be a
  JSON object; keys that are neither a declared output nor ``deploy_*``
  are ignored, as Heat ignores them (and logged).
"""

import logging

from convergence import exceptions
from convergence.engine import signals
from convergence.engine import software_config_calls as calls
from convergence.resources import wait_condition
from convergence.resources import software_deployment
from convergence.software_config import agent_urls
from convergence.software_config import deployment_rules as rules
from convergence.worker import signal_wait

LOG = logging.getLogger(__name__)

NOT_FOUND = 'The resource could not be found.'


def _not_found() -> exceptions.NotFound:
    # One answer for every way a URL is wrong: nothing to learn from it.
    return exceptions.NotFound(message=NOT_FOUND)


def waiting_row(rt, deployment_id: str, url_hash: str | None = None
                ) -> dict | None:
    """The row whose action waits for a signal of ``deployment_id`` (by
    the URL of ``url_hash``, when given)."""
    for row in rt.db.resources_with_physical_id(deployment_id):
        record = signal_wait.waiting(row)
        token = (record or {}).get(signal_wait.TOKEN) or {}
        if (isinstance(token, dict)
                and token.get('deployment_id') == deployment_id
                and (url_hash is None or token.get('url_hash') == url_hash)):
            return row
    return None


class DeploymentSignals:
    """A mixin of EngineService (which gives ``rt``)."""

    def signal_software_deployment(self, ctxt, deployment_id, details,
                                   updated_at=None):
        if not deployment_id:
            raise exceptions.Invalid(reason='deployment_id must be specified')
        deployment = self._software_deployment(ctxt, deployment_id)
        if deployment['status'] != rules.IN_PROGRESS:
            return None
        details = details or {}
        if not isinstance(details, dict):
            raise exceptions.Invalid(reason='the signal details must be a '
                                            'map')
        event = self._outcome(deployment, details).event_reason
        row = waiting_row(self.rt, deployment_id)
        if row is None or not signal_wait.deliver(self.rt, row['id'],
                                                  details, only_first=True):
            software_deployment.apply_signal(self.rt.db, deployment, details)
        return event

    def _outcome(self, deployment: dict, details: dict) -> rules.Signalled:
        config = self.rt.db.software_config_get(deployment['config_id'])
        declared = ((config or {}).get('config') or {}).get('outputs') or []
        ignored = rules.undeclared(declared, details)
        if ignored:
            LOG.info('deployment %s: the signal\'s %s, declared by no output '
                     'of its config, are ignored', deployment['id'],
                     ', '.join(ignored))
        return rules.signalled(deployment['id'], declared, details,
                               deployment['output_values'])

    # --- the engine-served URLs ---

    def _agent_url(self, token, *kinds: str) -> tuple[dict, str]:
        if not agent_urls.plausible(token):
            raise _not_found()
        url_hash = agent_urls.token_hash(token)
        url = self.rt.db.agent_url_get(url_hash)
        if url is None or url['kind'] not in kinds:
            raise _not_found()
        return url, url_hash

    def agent_metadata(self, ctxt, token):
        """The metadata of the server whose URL holds ``token``."""
        url, _ = self._agent_url(token, agent_urls.METADATA)
        public = self.rt.settings.agents.public_url
        return {'deployments': calls.server_deployments(
                    self.rt.db, url['tenant'], url['target']),
                'os-collect-config': agent_urls.os_collect_config(
                    agent_urls.url(public, agent_urls.METADATA, token))}

    def agent_signal(self, ctxt, token, details):
        """The signal of the deployment action (or the AWS wait condition
        handle) whose URL holds ``token``."""
        url, url_hash = self._agent_url(token, agent_urls.SIGNAL,
                                        agent_urls.WAIT_HANDLE)
        if not isinstance(details, dict):
            raise exceptions.Invalid(reason='the signal must be a JSON '
                                            'object')
        if url['kind'] == agent_urls.WAIT_HANDLE:
            return self._signal_wait_handle(url, details)
        deployment = self.rt.db.software_deployment_get(url['target'])
        row = waiting_row(self.rt, url['target'], url_hash)
        if deployment is None or row is None:
            raise _not_found()
        self._outcome(deployment, details)
        record = signal_wait.waiting(row)
        if not signal_wait.deliver(self.rt, row['id'], details,
                                   record[signal_wait.WAIT_ID],
                                   only_first=True):
            raise _not_found()
        return None

    def _signal_wait_handle(self, url: dict, details: dict) -> None:
        """An AWS wait condition handle's URL: the body is the handle's
        ``resource signal``, taken at once so that a malformed one is
        answered (decision 31)."""
        for row in self.rt.db.resources_with_physical_id(url['target']):
            if row['type'] != wait_condition.AWS_HANDLE:
                continue
            stack = self.rt.db.stack_get(row['stack_id'], show_deleted=False)
            if stack is None or stack['tenant'] != url['tenant']:
                break
            signals.signal(self.rt, stack, row, self._definition(stack),
                           details, sync_call=True)
            return None
        raise _not_found()
