"""HEAT_SIGNAL: the result as a resource signal through Heat's API.

What heat-config-notify does with keystoneclient and heatclient, in plain
HTTP: a Keystone v3 token for the credentials Heat gave the deployment
(``deploy_user_id``, ``deploy_password``, scoped to ``deploy_project_id``,
from ``deploy_auth_url``), the public ``orchestration`` endpoint of the
token's catalog (in ``deploy_region_name`` when given), then ``POST
<endpoint>/stacks/<deploy_stack_id>/resources/<deploy_resource_name>/signal``
with the result as its JSON body. deploy_stack_id is Heat's stack path
(``name/id``), so no lookup is needed.
"""

import json
import urllib.parse
from collections.abc import Mapping

from convergence.agent import webclient

ORCHESTRATION = 'orchestration'
INTERFACE = 'public'
KEYSTONE_VERSION = '/v3'
TOKEN_HEADER = 'X-Subject-Token'


def send(auth: Mapping, body: bytes,
         request: webclient.Request = webclient.request) -> str:
    """One attempt: a token, then the signal; what landed, or
    webclient.Refused / webclient.RetryableError."""
    url, token_body = token_request(auth)
    status, headers, data = request('POST', url, token_body,
                                    webclient.JSON_HEADERS)
    webclient.described('POST', url, (status, headers, data))
    token = headers.get(TOKEN_HEADER)
    if not token:
        raise webclient.Refused('POST %s: HTTP %d without an %s header' % (
            url, status, TOKEN_HEADER))
    endpoint = orchestration_endpoint(_catalog(url, data),
                                      auth.get('region_name'))
    signal = signal_url(endpoint, auth['stack_id'], auth['resource_name'])
    return webclient.described('POST', signal, request(
        'POST', signal, body, dict(webclient.JSON_HEADERS,
                                   **{'X-Auth-Token': token})))


def token_request(auth: Mapping) -> tuple[str, bytes]:
    """The URL and body of Keystone v3's password authentication, scoped to
    the deployment's project (the password is never logged)."""
    base = auth['auth_url'].rstrip('/')
    if not base.endswith(KEYSTONE_VERSION):
        base += KEYSTONE_VERSION
    body = {'auth': {
        'identity': {'methods': ['password'], 'password': {'user': {
            'id': auth['user_id'], 'password': auth['password']}}},
        'scope': {'project': {'id': auth['project_id']}}}}
    return base + '/auth/tokens', json.dumps(body).encode()


def orchestration_endpoint(catalog: list, region: str | None) -> str:
    """The public orchestration URL of a token's catalog (in ``region``
    when given); Refused naming what is missing."""
    for service in catalog:
        if service.get('type') != ORCHESTRATION:
            continue
        for endpoint in service.get('endpoints') or []:
            if endpoint.get('interface') == INTERFACE and (
                    not region or region in (endpoint.get('region_id'),
                                             endpoint.get('region'))):
                return endpoint['url']
    raise webclient.Refused(
        'the token\'s catalog has no %s %s endpoint%s' % (
            INTERFACE, ORCHESTRATION,
            ' in region %s' % region if region else ''))


def signal_url(endpoint: str, stack_path: str, resource_name: str) -> str:
    """Heat's resource signal URL for a stack path ``name/id``."""
    return '%s/stacks/%s/resources/%s/signal' % (
        endpoint.rstrip('/'), urllib.parse.quote(stack_path, safe='/'),
        urllib.parse.quote(resource_name, safe=''))


def _catalog(url: str, data: bytes) -> list:
    try:
        catalog = json.loads(data)['token'].get('catalog') or []
    except (ValueError, KeyError, TypeError, AttributeError):
        raise webclient.Refused('POST %s: not a Keystone v3 token: %s' % (
            url, webclient.summary(data)))
    return catalog
