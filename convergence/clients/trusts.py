"""Keystone trusts: a stack creator's roles delegated to the engine.

At a stack's create (or adopt) the engine, with the creator's token, makes
a trust from the creator (trustor) to the ``[trustee]`` user with
``trusts_delegated_roles`` (all of the token's roles when unset), scoped to
the stack's project and impersonating the trustor, as Heat does; every
deferred operation then acts through it.  The trust is deleted when the
root stack's delete completes.
"""

import logging

from oslo_config import cfg

from convergence.clients import errors
from convergence.clients import http
from convergence.clients import options
from convergence.clients import sessions

LOG = logging.getLogger(__name__)

TRUSTS_PATH = '/OS-TRUST/trusts'


def _identity(conf: cfg.ConfigOpts) -> dict:
    return {'service_type': 'identity',
            'interface': options.interface(conf, 'keystone'),
            'version': (3, 0)}


def roles_to_delegate(conf: cfg.ConfigOpts, token_roles: list[str]) -> list:
    """``trusts_delegated_roles``, else every role of the token."""
    return list(conf.trusts_delegated_roles or token_roles)


def of_token(ctxt) -> str | None:
    """The trust a trust-scoped request token acts through, else None.

    A stack made with such a token (OS::Heat::Stack's, through another
    stack's trust) acts through that same trust: Keystone lets no trust be
    made from a trust-scoped token, as Heat's create_trust_context reuses
    the context's trust.
    """
    token = (getattr(ctxt, 'auth_token_info', None) or {}).get('token')
    trust = (token or {}).get('OS-TRUST:trust') or {}
    return trust.get('id')


def create(conf: cfg.ConfigOpts, ctxt) -> str:
    """The id of a new trust from the context's user to the trustee.

    Raises:
        errors.CloudUnavailable: no token to delegate or no trustee.
        errors.CloudError: Keystone refused (the trustor lacks a role in
            ``trusts_delegated_roles``: 403/404 with Keystone's message).
    """
    user_session = sessions.token_session(conf, ctxt)
    trustee = sessions.trustee_auth(conf)
    trustee_session = sessions.session(conf, trustee, 'keystone')
    try:
        trustee_id = trustee.get_user_id(trustee_session)
    except Exception as exc:
        raise errors.CloudUnavailable(
            'the [trustee] user cannot authenticate: %s' % exc) from exc
    body = {'trust': {
        'trustor_user_id': ctxt.user_id, 'trustee_user_id': trustee_id,
        'project_id': ctxt.project_id, 'impersonation': True,
        'allow_redelegation': False,
        'roles': [{'name': role}
                  for role in roles_to_delegate(conf, ctxt.roles)]}}
    response = http.request(user_session, 'POST', TRUSTS_PATH, json=body,
                            endpoint_filter=_identity(conf))
    return response.json()['trust']['id']


def delete(conf: cfg.ConfigOpts, trust_id: str, client_session) -> bool:
    """Delete the trust with ``client_session`` (the trust's own, which
    impersonates the trustor); False when it was already gone."""
    try:
        http.request(client_session, 'DELETE',
                     '%s/%s' % (TRUSTS_PATH, trust_id),
                     endpoint_filter=_identity(conf))
    except errors.NotFound:
        return False
    return True
