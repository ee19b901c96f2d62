"""AWS::CloudFormation::WaitConditionHandle and AWS::CloudFormation::
WaitCondition, with Heat 27's names, rules and failure words.

The handle's reference (``Ref``, ``get_resource``) is a URL the engine
serves (``wait_handle_url``): a PUT or POST of a CFN signal there, e.g.

    curl -X PUT -H 'Content-Type: application/json' \\
        --data-binary '{"Status": "SUCCESS", "Reason": "done",
                        "UniqueId": "1", "Data": "x"}' <the reference>

is the handle's ``resource signal``: stored under its UniqueId with Heat's
rules (all four keys, Status SUCCESS or FAILURE, else "Metadata format
invalid", answered as heat-api answers a refused resource signal, 500
ResourceFailure), feeding the conditions that wait on it.  The URL
answers 404 once the handle is deleted.

The condition is OS::Heat::WaitCondition's code under the AWS names
(Handle, Timeout, Count; attribute Data): it fails at the first FAILURE
("WaitConditionFailure: resources.<name>: <reasons>") and at its Timeout
("WaitConditionTimeout: resources.<name>: 0 of 1 received").  As Heat's
it takes only an AWS handle's URL: anything else fails its create with
"WaitCondition invalid Handle <handle>" (another tenant's URL: "...
invalid Handle tenant <tenant>").
"""

import uuid

from convergence.resources import constraints as constr
from convergence.resources import wait_condition_rules as rules
from convergence.resources.aws import wait_handle_url
from convergence.resources.properties import INTEGER, STRING, Schema
from convergence.resources.wait_condition import (AWS_HANDLE, BaseHandle,
                                                  WaitCondition)

# The handle's data: its URL (the token in it is the credential).
URL = 'url'


class WaitConditionHandle(BaseHandle):
    """AWS::CloudFormation::WaitConditionHandle: signals at its URL."""

    support_version = '2014.1'
    properties_schema = {}
    signal_keys = rules.CFN_KEYS

    def handle_create(self):
        if self.data_get(URL):
            return  # a create repeated after its engine died: done
        self.resource_id_set(str(uuid.uuid4()))
        self.data_set(URL, wait_handle_url.make(self))

    def get_reference_id(self) -> str:
        return self.data_get(URL) or str(self.name)

    def handle_signal(self, details=None):
        if details is None:
            return None  # Heat stores nothing for an empty signal
        return super().handle_signal(details)

    def handle_delete(self):
        wait_handle_url.forget(self)


class CfnWaitCondition(WaitCondition):
    """AWS::CloudFormation::WaitCondition."""

    support_version = '2014.1'
    handle_key, timeout_key, count_key, data_key = (
        'Handle', 'Timeout', 'Count', 'Data')
    handle_types = (AWS_HANDLE,)
    properties_schema = {
        'Handle': Schema(STRING, 'A reference to the wait condition handle '
                         'used to signal this wait condition.',
                         required=True),
        'Timeout': Schema(INTEGER, 'The number of seconds to wait for the '
                          'correct number of signals to arrive.',
                          required=True,
                          constraints=[constr.Range(1, 43200)]),
        'Count': Schema(INTEGER, 'The number of success signals that must '
                        'be received before the stack creation process '
                        'continues.', default=1, update_allowed=True,
                        constraints=[constr.Range(min=1)]),
    }
    attributes_schema = {'Data': 'JSON string containing data associated '
                                 'with wait condition signals sent to the '
                                 'handle.'}
    attribute_types = {'Data': 'string'}

    def handle_id(self, reference: str) -> str:
        found = wait_handle_url.handle_id(self, reference)
        if found is None:
            raise ValueError(self.invalid_handle(None))
        return found

    def invalid_handle(self, fed: dict | None) -> str:
        return ('WaitCondition invalid Handle %s'
                % (fed['name'] if fed else self.properties.get('Handle')))
