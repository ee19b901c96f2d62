"""OS::Nova::Server with ``user_data_format: SOFTWARE_CONFIG``: what its
agent needs to poll for its deployments.

As Heat's ``_populate_deployments_metadata`` and ``build_userdata``: the
server's metadata is ``os-collect-config`` (how os-collect-config finds
the deployments) and ``deployments``; the user_data is a cloud-init
multipart message holding the user's own parts and that metadata as
``cfn-init-data`` (a ``text/x-cfninitdata`` part, which the part handler
here writes to ``/var/lib/heat-cfntools/cfn-init-data`` where
os-collect-config's local collectors read it at boot).

``software_config_transport``:

- POLL_TEMP_URL (the default, ``default_software_config_transport``): the
  engine-served metadata URL of the server (decision 21), polled by the
  ``request`` collector; its token is made before the boot (it is in the
  user_data) and bound to the server's id once Nova gave one.
- POLL_SERVER_HEAT: the ``heat`` collector, reading ``resource metadata``
  through the API as the server's stack domain user (decision 23), whose
  id, password, project and Keystone URL are in the metadata.

The metadata URL is made for both: it is also what tells a deployment
that its ``server`` is one the engine serves.  POLL_SERVER_CFN (no CFN
API) and ZAQAR_MESSAGE (no Zaqar) are refused by name.  ``user_data``
naming a software config (its id) is that config's ``config``, as Heat.
"""

from oslo_utils import uuidutils

from convergence import exceptions
from convergence.resources import software_config
from convergence.resources.nova import cloud_init
from convergence.software_config import agent_urls
from convergence.software_config import configs

SOFTWARE_CONFIG, RAW = 'SOFTWARE_CONFIG', 'RAW'
TRANSPORT = 'software_config_transport'
TRANSPORTS_SERVED = (agent_urls.POLL_TEMP_URL, agent_urls.POLL_SERVER_HEAT)
REFUSED = {agent_urls.POLL_SERVER_CFN: 'there is no CFN metadata API here',
           agent_urls.ZAQAR_MESSAGE: 'there is no Zaqar here'}
# Resource data: the metadata URL (it holds the server's token) and the
# os-collect-config section handed to the server.
URL_DATA, OCC_DATA = 'metadata_url', 'os_collect_config'
# Heat's collectors of a Nova server before the transport's own.
DEFAULT_COLLECTORS = ('ec2',)


def check(resource_name: str, props: dict) -> None:
    """A SOFTWARE_CONFIG server's transport is one served here.

    Raises:
        StackValidationFailed: POLL_SERVER_CFN or ZAQAR_MESSAGE.
    """
    transport = props.get(TRANSPORT)
    if props.get('user_data_format') != SOFTWARE_CONFIG:
        return  # Heat ignores the transport of any other format
    if isinstance(transport, str) and transport in REFUSED:
        raise exceptions.StackValidationFailed(
            'Property error: resources.%s.properties.%s: %s is not '
            'supported: %s; use POLL_TEMP_URL (a metadata URL the engine '
            'serves) or POLL_SERVER_HEAT.' % (resource_name, TRANSPORT,
                                              transport, REFUSED[transport]))


def user_data_content(res, props: dict) -> str:
    """The user_data, or the ``config`` of the software config it names
    (RAW and SOFTWARE_CONFIG, as Heat)."""
    content = props.get('user_data') or ''
    if uuidutils.is_uuid_like(content) and res.context.software_configs:
        try:
            row = configs.get(res.context.software_configs,
                              res.context.tenant, content)
        except exceptions.NotFound:
            return content
        return (row['config'] or {}).get('config') or ''
    return content


def prepare(res, props: dict) -> str:
    """Before the boot: the server's metadata URL token and credentials;
    the user_data (not encoded) carrying its os-collect-config."""
    token, _ = agent_urls.new_token()
    url = agent_urls.url(res._agents().public_url, agent_urls.METADATA,
                         token)
    res.data_set(URL_DATA, url)
    occ = {'collectors': list(DEFAULT_COLLECTORS)}
    if transport(res, props) == agent_urls.POLL_SERVER_HEAT:
        occ['heat'] = _heat_collector(res)
        occ['collectors'].append('heat')
    else:
        occ['request'] = {'metadata_url': url}
        occ['collectors'].append('request')
    res.data_set(OCC_DATA, occ)
    return user_data(user_data_content(res, props),
                     {'os-collect-config': occ, 'deployments': []})


def transport(res, props: dict) -> str:
    return props.get(TRANSPORT) or res._agents().default_config_transport


def _heat_collector(res) -> dict:
    creds = res.stack_user_credentials()
    return {'user_id': creds['user_id'], 'password': creds['password'],
            'auth_url': creds['auth_url'],
            'project_id': creds['project_id'],
            'stack_id': '%s/%s' % (res.context.stack_name,
                                   res.context.stack_id),
            'resource_name': res.name}


def register(res, server_id: str) -> None:
    """After the boot: the metadata URL is bound to the server's id."""
    url = res.data_get(URL_DATA)
    if not url:
        return
    store = software_config.store(res.context)
    store.agent_urls_delete(server_id)
    store.agent_url_create({
        'token_hash': agent_urls.token_hash(url.rsplit('/', 1)[1]),
        'kind': agent_urls.METADATA, 'target': server_id,
        'tenant': res.context.tenant})


def forget(res) -> None:
    """At the delete: the URL answers 404 and the stack user goes."""
    if res.resource_id is not None and res.data_get(URL_DATA):
        software_config.store(res.context).agent_urls_delete(
            res.resource_id)
    res.delete_stack_user()


def user_data(content: str, metadata: dict) -> str:
    """Heat's SOFTWARE_CONFIG multipart (``cloud_init``)."""
    return cloud_init.software_config(content, metadata)


def live_metadata(row: dict, deployments_of) -> dict:
    """The server's metadata as its agent reads it (``resource
    metadata``): os-collect-config and the configs of its deployments
    (``deployments_of(server_id)``, which the engine gives)."""
    data = row.get('rsrc_data') or {}
    if OCC_DATA not in data or not row.get('physical_resource_id'):
        return {}
    return {'os-collect-config': data[OCC_DATA],
            'deployments': deployments_of(row['physical_resource_id'])}
