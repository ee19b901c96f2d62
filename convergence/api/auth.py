"""Who is calling: noauth, or Keystone tokens as heat-api checks them.

heat-api picks its paste pipeline by ``[paste_deploy] flavor``: unset means
``heat-api`` (keystonemiddleware's auth_token, then Heat's context
middleware), ``noauth`` means every caller is admin.  Here:

- ``flavor = keystone``, or flavor unset and a ``[keystone_authtoken]``
  section in a config file: Keystone.  auth_token validates the
  ``X-Auth-Token`` (no token or a bad one: 401), ``ContextFilter`` makes the
  request context from the headers it sets (``X-Project-Id``,
  ``X-User-Id``, ``X-Roles``, the domains…) and the v1 router enforces
  api/policy.py on every route.  keystonemiddleware missing or
  ``[keystone_authtoken]`` without complete service credentials is a
  start-up error (``AuthConfigError``), never a fallback to noauth.
- ``flavor = noauth``, or nothing asked: noauth (api/wsgi.py's
  ``make_context``), announced by a WARNING at start-up.
- any other flavor (Heat's ``standalone``, ``custombackend``): a start-up
  error naming it.
"""

from typing import Callable

from oslo_config import cfg
from oslo_log import log as logging
import webob.dec

from convergence import config
from convergence.api import policy as api_policy
from convergence.api import wsgi
from convergence.rpc.context import RequestContext

LOG = logging.getLogger(__name__)

KEYSTONE = 'keystone'
NOAUTH = 'noauth'
AUTHTOKEN_GROUP = 'keystone_authtoken'


class AuthConfigError(Exception):
    """The configuration asks for an authentication we cannot provide."""


def register(conf: cfg.ConfigOpts) -> None:
    conf.register_opts(config.paste_deploy_opts, group='paste_deploy')


def strategy(conf: cfg.ConfigOpts) -> str:
    """KEYSTONE or NOAUTH, as the configuration asks."""
    register(conf)
    flavor = conf.paste_deploy.flavor
    if not flavor:
        asked = AUTHTOKEN_GROUP in config.file_sections(conf)
        return KEYSTONE if asked else NOAUTH
    if flavor in (KEYSTONE, NOAUTH):
        return flavor
    raise AuthConfigError(
        '[paste_deploy] flavor = %s is not implemented; use keystone or '
        'noauth.' % flavor)


def keystone_filter(conf: cfg.ConfigOpts) -> Callable:
    """A function wrapping the v1 app in auth_token and ContextFilter;
    raises AuthConfigError when Keystone cannot be had."""
    try:
        from keystoneauth1 import exceptions as ks_exceptions
        from keystoneauth1 import loading as ks_loading
        from keystonemiddleware import auth_token
    except ImportError as err:
        raise AuthConfigError(
            'Keystone authentication is configured but keystonemiddleware '
            'cannot be imported (%s).' % err)
    ks_loading.register_auth_conf_options(conf, AUTHTOKEN_GROUP)
    try:
        plugin = ks_loading.load_auth_from_conf_options(conf, AUTHTOKEN_GROUP)
    except ks_exceptions.MissingRequiredOptions as err:
        raise AuthConfigError('[%s] is incomplete: %s' % (
            AUTHTOKEN_GROUP, err))
    except ks_exceptions.NoMatchingPlugin as err:
        raise AuthConfigError('[%s] auth_type: %s' % (AUTHTOKEN_GROUP, err))
    if plugin is None:
        raise AuthConfigError(
            '[%s] auth_type is not set: the service credentials that '
            'validate tokens are needed (auth_type = password, auth_url, '
            'username, password, project_name…).' % AUTHTOKEN_GROUP)
    policy = api_policy.Policy(conf)

    def wrap(app: Callable) -> Callable:
        return auth_token.AuthProtocol(ContextFilter(app, policy),
                                       {'oslo_config_config': conf})
    return wrap


class ContextFilter:
    """Heat's ContextMiddleware: the request context from the headers
    auth_token set, ``is_admin`` from the ``context_is_admin`` rule."""

    def __init__(self, app: Callable, policy: api_policy.Policy) -> None:
        self.app = app
        self.policy = policy

    @webob.dec.wsgify
    def __call__(self, req: webob.Request):
        headers = req.headers
        username = password = aws_creds = None
        if headers.get('X-Auth-User') is not None:
            username = headers.get('X-Auth-User')
            password = headers.get('X-Auth-Key')
        elif headers.get('X-Auth-EC2-Creds') is not None:
            aws_creds = headers.get('X-Auth-EC2-Creds')
        ctx = RequestContext.from_environ(
            req.environ, username=username, password=password,
            aws_creds=aws_creds, auth_url=headers.get('X-Auth-Url'),
            region_name=headers.get('X-Region-Name'),
            auth_token_info=req.environ.get('keystone.token_info'))
        ctx.is_admin = self.policy.is_admin(ctx)
        req.environ[wsgi.CONTEXT_ENVIRON] = (ctx, self.policy)
        return req.get_response(self.app)


def v1_filter(conf: cfg.ConfigOpts) -> Callable | None:
    """What wraps the v1 app, None for noauth; logs the choice."""
    if strategy(conf) == NOAUTH:
        LOG.warning('Authentication is noauth: every request acts as admin '
                    'of the project its URL names, with no token and no '
                    'policy.  Set [paste_deploy] flavor = keystone and '
                    '[keystone_authtoken] to require Keystone tokens.')
        return None
    wrap = keystone_filter(conf)
    LOG.info('Authentication is keystone: tokens validated by '
             'keystonemiddleware auth_token, policy enforced by oslo.policy')
    return wrap
