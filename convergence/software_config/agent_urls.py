"""Engine-served URLs for servers' agents: their form and their tokens (pure).

The role Swift temp URLs play for Heat's POLL_TEMP_URL and
TEMP_URL_SIGNAL: a server's agent reads its metadata at one URL and
signals each deployment action's result at another, with no Keystone
token; the random token in the URL is the credential.

    GET  <public_url>/agent/v1/metadata/<token>   a server's metadata
    PUT  <public_url>/agent/v1/signal/<token>     a deployment's signal
    POST <public_url>/agent/v1/signal/<token>     (CFN_SIGNAL's verb)

A token is 32 random bytes (URL-safe base64, 43 characters); only its
SHA-256 is stored (``agent_url`` table, migration 0007), bound to one
server (kind ``metadata``), one deployment action (kind ``signal``) or
one AWS::CloudFormation::WaitConditionHandle (kind ``wait_handle``, at the
signal route) of one tenant.
"""

import dataclasses
import hashlib
import re
import secrets

KINDS = (METADATA, SIGNAL) = ('metadata', 'signal')
# The stored kind of an AWS::CloudFormation::WaitConditionHandle's URL
# (target: the handle's id), served at the SIGNAL route (decision 31).
WAIT_HANDLE = 'wait_handle'
PREFIX = '/agent/v1'
TOKEN_BYTES = 32
# What a token may look like (URL-safe base64, with room to spare).
_TOKEN = re.compile(r'[A-Za-z0-9_-]{20,64}')

# Heat's transports, what we do with each.
CONFIG_TRANSPORTS = (POLL_SERVER_CFN, POLL_SERVER_HEAT, POLL_TEMP_URL,
                     ZAQAR_MESSAGE) = ('POLL_SERVER_CFN', 'POLL_SERVER_HEAT',
                                       'POLL_TEMP_URL', 'ZAQAR_MESSAGE')
# POLL_SERVER_HEAT needs a stack user domain (decision 23).
CONFIG_TRANSPORTS_SERVED = (POLL_TEMP_URL, POLL_SERVER_HEAT)
SIGNAL_TRANSPORTS = (CFN_SIGNAL, TEMP_URL_SIGNAL, HEAT_SIGNAL, NO_SIGNAL,
                     ZAQAR_SIGNAL) = ('CFN_SIGNAL', 'TEMP_URL_SIGNAL',
                                      'HEAT_SIGNAL', 'NO_SIGNAL',
                                      'ZAQAR_SIGNAL')
SIGNAL_TRANSPORTS_SERVED = (CFN_SIGNAL, TEMP_URL_SIGNAL, HEAT_SIGNAL,
                            NO_SIGNAL)
# The transports whose signal goes to an engine-served URL, and its verb.
URL_VERBS = {TEMP_URL_SIGNAL: 'PUT', CFN_SIGNAL: 'POST'}


@dataclasses.dataclass(frozen=True)
class AgentSettings:
    """What the engine needs to hand servers their URLs."""

    # The API's address as servers reach it, without a trailing slash.
    public_url: str = 'http://127.0.0.1:8004'
    default_signal_transport: str = CFN_SIGNAL
    default_config_transport: str = POLL_TEMP_URL


def new_token() -> tuple[str, str]:
    """A fresh (token, its hash)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    """What is stored of a token: its SHA-256, hex."""
    return hashlib.sha256(token.encode('utf-8')).hexdigest()


def url(public_url: str, kind: str, token: str) -> str:
    """The URL of ``token`` for ``kind`` (METADATA or SIGNAL)."""
    return '%s%s/%s/%s' % (public_url.rstrip('/'), PREFIX, kind, token)


def token_in(address: str) -> str | None:
    """The token of a SIGNAL URL of ours (whatever its host), or None."""
    if not isinstance(address, str):
        return None
    path = address.split('?', 1)[0].rstrip('/')
    head, _, token = path.rpartition('/')
    if not head.endswith('%s/%s' % (PREFIX, SIGNAL)) or not plausible(token):
        return None
    return token


def plausible(token: str) -> bool:
    """Whether ``token`` could be one of ours (a cheap check before any
    lookup: anything else is simply not found)."""
    return isinstance(token, str) and _TOKEN.fullmatch(token) is not None


def os_collect_config(metadata_url: str, heat: dict | None = None) -> dict:
    """Heat's ``os-collect-config`` settings of a DeployedServer: for
    POLL_TEMP_URL the request collector polling ``metadata_url``, for
    POLL_SERVER_HEAT the heat collector with ``heat`` (the stack user's
    credentials, the stack and resource); then local."""
    if heat is not None:
        return {'collectors': ['heat', 'local'], 'heat': dict(heat)}
    return {'collectors': ['request', 'local'],
            'request': {'metadata_url': metadata_url}}
