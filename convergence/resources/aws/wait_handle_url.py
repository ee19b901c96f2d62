"""The URL that is an AWS::CloudFormation::WaitConditionHandle's reference.

Heat's reference is a heat-api-cfn pre-signed URL that cfn-signal (or
curl) PUTs ``{"Status", "Reason", "UniqueId", "Data"}`` to.  There is no
heat-api-cfn here: the URL is an engine-served signal URL (decision 21's
``<[heat_api] public_url>/agent/v1/signal/<token>``, PUT or POST, no
Keystone token), its token's hash stored as an ``agent_url`` row of kind
``wait_handle`` naming the handle, so the API hands the body to the
handle as a ``resource signal`` (engine/deployment_signals.py).  A wait
condition finds its handle from the URL the same way (``handle_id``).
"""

from convergence.resources import software_config
from convergence.software_config import agent_urls


def make(res) -> str:
    """A fresh URL bound to the handle ``res`` (its resource id set)."""
    token, token_hash = agent_urls.new_token()
    agents = res.context.agents or agent_urls.AgentSettings()
    software_config.store(res.context).agent_url_create({
        'token_hash': token_hash, 'kind': agent_urls.WAIT_HANDLE,
        'target': res.resource_id, 'tenant': res.context.tenant})
    return agent_urls.url(agents.public_url, agent_urls.SIGNAL, token)


def forget(res) -> None:
    """The handle's URL answers 404 from now on."""
    if res.resource_id is not None and res.context.software_configs:
        res.context.software_configs.agent_urls_delete(res.resource_id)


def handle_id(res, reference: str) -> str | None:
    """The id of the handle whose URL ``reference`` is; None when it is
    no handle URL of ours (or no store is at hand).

    Raises:
        ValueError: the URL is another tenant's (Heat's words).
    """
    token = agent_urls.token_in(reference)
    if token is None or res.context.software_configs is None:
        return None
    row = res.context.software_configs.agent_url_get(
        agent_urls.token_hash(token))
    if row is None or row['kind'] != agent_urls.WAIT_HANDLE:
        return None
    if row['tenant'] != res.context.tenant:
        raise ValueError('WaitCondition invalid Handle tenant %s'
                         % row['tenant'])
    return row['target']
