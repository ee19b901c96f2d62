"""OS::Heat::WaitConditionHandle, UpdateWaitConditionHandle, WaitCondition.

A handle is a resource that takes signals (``resource signal``, or a POST to
its ``endpoint``, which its ``curl_cli`` attribute spells as a command) and
stores them in its data with Heat's rules (``wait_condition_rules``).  A
condition waits for its handle's signals without any thread waiting: its
create (and update) returns ``Await(fed_by=<the handle's reference>,
after=<timeout>)`` (``worker/signal_wait.py``), so the row records the wait
and the node ends; each signal the handle stores wakes the condition with
what the handle holds (``signal_wait.feed``), and the condition ends when
``count`` SUCCESS signals are there, fails at the first FAILURE with Heat's
reason ("WaitConditionFailure: resources.<name>: <reasons>"), and fails
when its ``timeout`` timer fires ("WaitConditionTimeout: resources.<name>:
<n> of <count> received").  The stack's own timeout and a cancel end the
wait as for any signal wait.  The handle may also be an
AWS::CloudFormation::WaitConditionHandle, whose reference is its
engine-served URL (``resources/aws/``, decision 31); the AWS condition is
this code under the AWS property names.

``signal_transport``: TOKEN_SIGNAL (the default), HEAT_SIGNAL and
NO_SIGNAL are honoured.  The TOKEN_SIGNAL endpoint is our API's resource
signal route (``heat_url``: ``[clients_heat] url``, else the ``[heat_api]``
address).  With a stack user domain (decision 23), as in Heat, the handle
has a stack domain user: the endpoint names the tree's domain project and
the token is a Keystone token of that user.  Without one (noauth, or no
domain configured) the token is a random secret the handle keeps, which
the API's noauth pipeline takes.  HEAT_SIGNAL's ``signal`` attribute is the
user's credentials (``auth_url``, ``user_id``, ``password``,
``project_id``...) and the ``alarm_url``; it needs a stack user domain, and
its create fails naming the reason without one.  CFN_SIGNAL,
TEMP_URL_SIGNAL and ZAQAR_SIGNAL need heat-api-cfn, Swift or Zaqar, which
we do not have: a template naming one is refused by name.

The signals a handle stored are its data (``rsrc_data['signals']``);
``resource metadata`` shows them added to the template's metadata, as
Heat, which keeps them in the resource's metadata, shows them.

Differences from Heat, known: the condition's ``data`` attribute is what
the handle held when the condition last woke (Heat reads the handle at
each ``get_attr``).
"""

import json
import secrets
import urllib.parse
import uuid

# The process's configuration, read for the handle's signal URL only (as
# Heat's heat client plugin reads [clients_heat]).
from oslo_config import cfg

from convergence.exceptions import StackValidationFailed
from convergence.resources import constraints as constr
from convergence.resources.aws import wait_handle_url
from convergence.resources import failures
from convergence.resources import wait_condition_rules as rules
from convergence.resources.await_signal import Await, FEED
from convergence.resources.base import Resource, UpdatePlan
from convergence.resources import stack_user
from convergence.resources.properties import INTEGER, NUMBER, STRING, \
    Schema

SIGNAL_TRANSPORT = 'signal_transport'
TRANSPORTS = (CFN_SIGNAL, TEMP_URL_SIGNAL, HEAT_SIGNAL, NO_SIGNAL,
              ZAQAR_SIGNAL, TOKEN_SIGNAL) = (
    'CFN_SIGNAL', 'TEMP_URL_SIGNAL', 'HEAT_SIGNAL', 'NO_SIGNAL',
    'ZAQAR_SIGNAL', 'TOKEN_SIGNAL')
# The transports we cannot honour, and what each would need.
REFUSED = {
    CFN_SIGNAL: 'there is no heat-api-cfn to take signed-URL signals',
    TEMP_URL_SIGNAL: 'there is no Swift to hold TempURL signals',
    ZAQAR_SIGNAL: 'there is no Zaqar to queue signals',
}
TOKEN, ENDPOINT, CURL_CLI, SIGNAL = 'token', 'endpoint', 'curl_cli', 'signal'
# The handle's data: its signals (id -> entry).
SIGNALS = 'signals'
HANDLE, TIMEOUT, COUNT, DATA = 'handle', 'timeout', 'count', 'data'
# The signal a condition's timeout timer delivers.
TIMED_OUT = {'wait_condition_timeout': True}
DEFAULT_URL = 'http://%(host)s:%(port)s/v1/%%(tenant_id)s'


def heat_url(tenant: str) -> str:
    """The Heat API URL with ``tenant`` for ``%(tenant_id)s``, as Heat's
    heat client plugin gives it: ``[clients_heat] url``; else ``[heat_api] public_url`` (where
    servers reach our API, when that option is there) with ``/v1/<tenant>``;
    else our own API's ``[heat_api]`` address."""
    conf = cfg.CONF
    url = _option(conf, 'clients_heat', 'url')
    if not url:
        public = _option(conf, 'heat_api', 'public_url')
        if public:
            url = public.rstrip('/') + '/v1/%(tenant_id)s'
    if not url:
        host = _option(conf, 'heat_api', 'bind_host') or '127.0.0.1'
        if host in ('0.0.0.0', '::'):
            host = '127.0.0.1'
        port = _option(conf, 'heat_api', 'bind_port') or 8004
        url = DEFAULT_URL % {'host': host, 'port': port}
    return url % {'tenant_id': tenant}


def _option(conf, group: str, name: str):
    """An option's value; None where it is not registered (unit tests)."""
    try:
        return getattr(getattr(conf, group), name)
    except (cfg.NoSuchOptError, cfg.NoSuchGroupError, AttributeError):
        return None


class BaseHandle(Resource):
    """What both handles share: signals stored with Heat's rules."""

    retry_safe = True
    feeds_waits = True
    signal_keys = rules.HEAT_KEYS

    def stored(self) -> dict:
        return dict(self.data_get(SIGNALS) or {})

    @classmethod
    def stored_metadata(cls, data: dict) -> dict:
        """What the resource's metadata shows besides the template's: the
        signals, id -> entry, as Heat's handle keeps them there."""
        return dict(data.get(SIGNALS) or {})

    def normalised(self, details):
        return details

    def handle_signal(self, details=None):
        signal = self.normalised(details)
        merged, (status, reason) = rules.merge(signal, self.stored(),
                                               self.signal_keys)
        self.data_set(SIGNALS, merged)
        return 'status:%s reason:%s' % (status, reason)

    def signal_endpoint(self, project: str | None = None) -> str:
        """The resource's signal route: Heat's URL with the resource's path
        where the tenant goes (``project`` in place of the stack's: the
        stack user domain project)."""
        path = '%s/stacks/%s/%s/resources/%s' % (
            project or self.context.tenant, self.context.stack_name,
            self.context.stack_id, urllib.parse.quote(self.name, safe=''))
        return '%s/signal' % heat_url(path)


class WaitConditionHandle(stack_user.StackUser, BaseHandle):
    """OS::Heat::WaitConditionHandle."""

    support_version = '2014.2'
    properties_schema = {
        SIGNAL_TRANSPORT: Schema(
            STRING, 'How the client will signal the wait condition.',
            default=TOKEN_SIGNAL,
            constraints=[constr.AllowedValues(list(TRANSPORTS))]),
    }
    attributes_schema = {
        TOKEN: 'Token for signalling the handle (TOKEN_SIGNAL).',
        ENDPOINT: 'Endpoint/url for signalling the handle (TOKEN_SIGNAL).',
        CURL_CLI: 'curl CLI command prefix signalling the handle '
                  '(TOKEN_SIGNAL); add --data-binary \'{"status": '
                  '"SUCCESS"}\'.',
        SIGNAL: 'JSON serialized map of what a client needs to signal '
                'the handle.',
    }
    attribute_types = {TOKEN: 'string', ENDPOINT: 'string',
                       CURL_CLI: 'string', SIGNAL: 'string'}

    @classmethod
    def check_properties(cls, resource_name: str, props: dict) -> None:
        transport = props.get(SIGNAL_TRANSPORT)
        if isinstance(transport, str) and transport in REFUSED:
            raise StackValidationFailed(
                'Property error: resources.%s.properties.%s: %s is not '
                'supported: %s' % (resource_name, SIGNAL_TRANSPORT,
                                   transport, REFUSED[transport]))

    def _token_signal(self) -> bool:
        return self.properties.get(SIGNAL_TRANSPORT,
                                   TOKEN_SIGNAL) == TOKEN_SIGNAL

    def _transport(self) -> str:
        return self.properties.get(SIGNAL_TRANSPORT, TOKEN_SIGNAL)

    def handle_create(self):
        self.resource_id_set(uuid.uuid4().hex)
        unavailable = stack_user.unavailable_reason(self)
        if self._transport() == HEAT_SIGNAL and unavailable:
            raise failures.resource_failure(
                self.name, 'Error', 'signal_transport HEAT_SIGNAL needs a '
                'stack domain user: %s' % unavailable)
        if self._token_signal():
            if unavailable:
                # noauth (or no domain): a secret the noauth API takes.
                self.data_set(TOKEN, secrets.token_urlsafe(32))
                self.data_set(ENDPOINT, self.signal_endpoint())
            else:
                self.data_set(TOKEN, self.stack_user_token())
                self.data_set(ENDPOINT, self.signal_endpoint(
                    self.stack_users().project_id()))
        elif self._transport() == HEAT_SIGNAL:
            self.create_stack_user()

    def handle_delete(self):
        self.delete_stack_user()

    def normalised(self, details):
        if details is not None and not isinstance(details, dict):
            return details
        return rules.normalised(details, self.stored())

    def _resolve_attribute(self, name: str) -> object:
        if not self.resource_id:
            return None
        if name == SIGNAL:
            if self._transport() == HEAT_SIGNAL:
                creds = dict(self.stack_user_credentials())
                creds['alarm_url'] = self.signal_endpoint(
                    creds['project_id'])
                return json.dumps(creds)
            return json.dumps({} if not self._token_signal() else None)
        if name in (TOKEN, ENDPOINT):
            return self.data_get(name)
        if name == CURL_CLI:
            token, endpoint = self.data_get(TOKEN), self.data_get(ENDPOINT)
            if token is None or endpoint is None:
                return None
            insecure = _option(cfg.CONF, 'clients_heat', 'insecure')
            return ("curl %s-i -X POST -H 'X-Auth-Token: %s' "
                    "-H 'Content-Type: application/json' "
                    "-H 'Accept: application/json' %s"
                    % ('--insecure ' if insecure else '', token, endpoint))
        return None


class UpdateWaitConditionHandle(BaseHandle):
    """OS::Heat::UpdateWaitConditionHandle: replaced on every stack update,
    so its signals start afresh; signals in the CFN format (Status, Reason,
    Data, UniqueId, all four), taken by ``resource signal`` (or a POST to
    the resource's signal route).  Its reference (``get_resource``) is its
    id: Heat's is a heat-api-cfn signed URL, which we do not serve."""

    support_version = '2014.1'
    properties_schema = {}
    signal_keys = rules.CFN_KEYS

    def handle_create(self):
        self.resource_id_set(uuid.uuid4().hex)

    def handle_signal(self, details=None):
        if details is None:
            return None
        return super().handle_signal(details)

    def plan_update(self, new_properties: dict, *,
                    failed: bool = False) -> UpdatePlan:
        return self._replace({}, self.name)


AWS_HANDLE = 'AWS::CloudFormation::WaitConditionHandle'
HANDLE_TYPES = ('OS::Heat::WaitConditionHandle',
                'OS::Heat::UpdateWaitConditionHandle', AWS_HANDLE)
KEYS_OF = {'OS::Heat::WaitConditionHandle': rules.HEAT_KEYS,
           'OS::Heat::UpdateWaitConditionHandle': rules.CFN_KEYS,
           AWS_HANDLE: rules.CFN_KEYS}


class WaitCondition(Resource):
    """OS::Heat::WaitCondition."""

    support_version = '2014.2'
    retry_safe = True
    properties_schema = {
        HANDLE: Schema(STRING, 'A reference to the wait condition handle '
                       'used to signal this wait condition.', required=True),
        TIMEOUT: Schema(NUMBER, 'The number of seconds to wait for the '
                        'correct number of signals to arrive.',
                        required=True, constraints=[constr.Range(1, 43200)]),
        COUNT: Schema(INTEGER, 'The number of success signals that must be '
                      'received before the stack creation process '
                      'continues.', default=1, update_allowed=True,
                      constraints=[constr.Range(min=1)]),
    }
    attributes_schema = {DATA: 'JSON string containing data associated '
                               'with wait condition signals sent to the '
                               'handle.'}
    attribute_types = {DATA: 'string'}

    # The property and attribute names (AWS::CloudFormation::WaitCondition
    # spells them otherwise) and the handle types that feed it.
    handle_key, timeout_key, count_key, data_key = (HANDLE, TIMEOUT, COUNT,
                                                    DATA)
    handle_types = HANDLE_TYPES

    def _await(self, properties: dict) -> Await:
        return Await({COUNT: int(properties.get(self.count_key) or 1)},
                     after=float(properties[self.timeout_key]),
                     after_details=TIMED_OUT,
                     fed_by=self.handle_id(str(properties[self.handle_key])))

    def handle_id(self, reference: str) -> str:
        """The physical id of the handle ``reference`` names: itself, or
        the handle whose engine-served URL it is (an
        AWS::CloudFormation::WaitConditionHandle's reference)."""
        return wait_handle_url.handle_id(self, reference) or reference

    def handle_create(self):
        self.resource_id_set(self.physical_resource_name())
        return self._await(self.properties)

    def handle_update(self, new_properties: dict, prop_diff: dict):
        return self._await(new_properties)

    def _signals(self) -> list[tuple]:
        fed = self.data_get(SIGNALS) or {}
        return rules.entries(fed.get('stored') or {},
                             tuple(fed.get('keys') or rules.HEAT_KEYS))

    def handle_awaited_signal(self, token, details):
        count = int(token[COUNT])
        if details == TIMED_OUT:
            raise failures.resource_failure(
                self.name, 'WaitConditionTimeout',
                rules.timed_out(self._signals(), count))
        fed = details.get(FEED) if isinstance(details, dict) else None
        if fed is None or fed.get('type') not in self.handle_types:
            raise ValueError(self.invalid_handle(fed))
        keys = KEYS_OF[fed['type']]
        stored = (fed.get('data') or {}).get(SIGNALS) or {}
        self.data_set(SIGNALS, {'stored': stored, 'keys': list(keys)})
        failure, done = rules.verdict(rules.entries(stored, keys), count)
        if failure is not None:
            raise failures.resource_failure(self.name,
                                            'WaitConditionFailure', failure)
        return None if done else Await(token)

    def invalid_handle(self, fed: dict | None) -> str:
        """Heat's words for a handle that is none of ``handle_types``."""
        return '%s is not a valid wait condition handle.' % (
            fed['name'] if fed else self.properties.get(self.handle_key))

    def _resolve_attribute(self, name: str) -> object:
        if name == self.data_key:
            return rules.data_attribute(self._signals())
        return None
