"""keystoneauth1 sessions: the request's own token, or a trust.

A request's session reuses the token keystonemiddleware validated (and its
catalog) without another round trip; it lasts as long as the token.  A
trust's session authenticates the engine's service user (``[trustee]``)
scoped to the trust, and re-authenticates by itself whenever its token
nears expiry: deferred work never depends on the creator's token.
"""

import hashlib
import os
import tempfile

from oslo_config import cfg

from convergence.clients import errors
from convergence.clients import options


def token_session(conf: cfg.ConfigOpts, ctxt, client: str = 'keystone'):
    """A session acting with the request context's token.

    Raises:
        errors.CloudUnavailable: the context carries no Keystone token.
    """
    from keystoneauth1 import access
    from keystoneauth1.identity import access as access_plugin

    if not ctxt.auth_token or not ctxt.auth_token_info:
        raise errors.CloudUnavailable(
            'the request carries no Keystone token (noauth mode)')
    info = access.create(body=ctxt.auth_token_info,
                         auth_token=ctxt.auth_token)
    return session(conf, access_plugin.AccessInfoPlugin(info), client)


def trustee_auth(conf: cfg.ConfigOpts, trust_id: str | None = None):
    """The ``[trustee]`` user's auth plugin, scoped to ``trust_id`` if given.

    Raises:
        errors.CloudUnavailable: ``[trustee]`` is not configured.
    """
    from keystoneauth1 import exceptions as ks_exceptions
    from keystoneauth1 import loading as ks_loading

    extra = {'trust_id': trust_id} if trust_id else {}
    try:
        auth = ks_loading.load_auth_from_conf_options(
            conf, options.TRUSTEE_GROUP, **extra)
    except (ks_exceptions.MissingRequiredOptions,
            ks_exceptions.NoMatchingPlugin) as exc:
        raise errors.CloudUnavailable('[trustee] is incomplete: %s' % exc)
    if auth is None:
        raise errors.CloudUnavailable(
            '[trustee] auth_type is not set: the engine\'s service user '
            '(auth_type = password, auth_url, username, password, '
            'user_domain_name) is needed for Keystone trusts')
    return auth


def session(conf: cfg.ConfigOpts, auth, client: str):
    """A session with ``auth`` and ``client``'s TLS settings."""
    from keystoneauth1 import session as ks_session

    return ks_session.Session(auth=auth, verify=options.verify(conf, client),
                              cert=options.cert(conf, client))


def ca_file(pem: str) -> str:
    """The path of a file holding the CA certificate ``pem`` (requests
    verifies against a file).  One file per certificate, named by its
    hash and written once, so that concurrent users share it and none
    sees it half written."""
    digest = hashlib.sha256(pem.encode('utf-8')).hexdigest()
    directory = os.path.join(tempfile.gettempdir(), 'convergence-ca')
    os.makedirs(directory, mode=0o700, exist_ok=True)
    path = os.path.join(directory, digest + '.pem')
    if not os.path.exists(path):
        with tempfile.NamedTemporaryFile('w', dir=directory, delete=False,
                                         suffix='.tmp') as part:
            part.write(pem)
        os.replace(part.name, path)
    return path
