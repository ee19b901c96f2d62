"""The WSGI plumbing: route matching, request context, JSON in and out.

A ``Router`` owns a routes.Mapper whose routes name a controller method.
It takes the request context api/auth.py's ContextFilter made from a
Keystone token, checks the URL's tenant against it and the route's policy
rule as heat-api's ``registered_policy_enforce`` does, or under noauth makes
one (the tenant is the one in the URL); it reads the JSON body, calls the
method and turns what it returns or raises into a response: a
dict/list/None becomes JSON (200), a webob response or HTTP exception is
sent as is, any error gets Heat's fault body.
"""

import json
import logging
import time
from typing import Any, Callable
from urllib import parse

import routes
import webob
import webob.dec
from oslo_utils import uuidutils
from webob import exc

from convergence import exceptions
from convergence.api import faults
from convergence.api import oplog
from convergence.api import params
from convergence.rpc.context import RequestContext

LOG = logging.getLogger(__name__)

ALL_METHODS = ('GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE')
DEFAULT_USER = 'admin'  # what Heat's noauth middleware calls everyone
# Where oslo.middleware's RequestId leaves the id it answers with.
REQUEST_ID_ENVIRON = 'openstack.request_id'
# Where api/auth.py's ContextFilter leaves (context, api.policy.Policy).
CONTEXT_ENVIRON = 'convergence.context'


def json_response(body: Any, status: int = 200) -> webob.Response:
    resp = webob.Response(status=status, content_type='application/json',
                          charset=None)
    resp.body = json.dumps(body, default=str).encode()
    return resp


def make_context(req: webob.Request, tenant: str) -> RequestContext:
    """noauth: every caller is an admin of the tenant named in the URL
    (role ``admin``, as Heat's noauth middleware says, so the resource type
    policies of engine/type_policy.py allow it everything too).

    The request id is RequestId's when it runs in front (api/pipeline.py).
    """
    user = req.headers.get('X-Auth-User') or DEFAULT_USER
    request_id = (req.environ.get(REQUEST_ID_ENVIRON)
                  or 'req-' + uuidutils.generate_uuid())
    return RequestContext(project_id=tenant, user_id=user, username=user,
                          is_admin=True, roles=['admin'],
                          request_id=request_id)


def authenticated(req: webob.Request) -> bool:
    """Whether the request came through Keystone (not noauth)."""
    return CONTEXT_ENVIRON in req.environ


def authorize(req: webob.Request, ctx: RequestContext, rule: str) -> None:
    """Enforce ``rule`` on the caller's project, unless under noauth; for
    the routes whose rule depends on the body (``actions:<action>``)."""
    found = req.environ.get(CONTEXT_ENVIRON)
    if found is not None:
        found[1].authorize(ctx, rule, ctx.project_id)


def refuse_every_project(req: webob.Request, ctx: RequestContext,
                         rule: str, what: str) -> None:
    """A listing asked for ``global_tenant``: behind Keystone ``rule``
    decides (Heat's default denies everybody), noauth answers as that
    default; a policy that allows it still gets NotSupported, since the
    engine lists one project at a time."""
    if not authenticated(req):
        raise exc.HTTPForbidden()
    authorize(req, ctx, rule)
    raise exceptions.NotSupported(
        feature='Listing the %s of all projects (global_tenant)' % what)


def _authenticated(req: webob.Request, tenant: str, rule: str | None
                   ) -> RequestContext | None:
    """The Keystone context, checked as heat-api's registered_policy_enforce
    checks it; None under noauth.  An admin acts in the project of its token
    whatever the URL names; anybody else in another project is refused."""
    found = req.environ.get(CONTEXT_ENVIRON)
    if found is None:
        return None
    ctx, policy = found
    if ctx.is_admin and ctx.project_id:
        tenant = ctx.project_id
    if ctx.project_id != tenant:
        raise exc.HTTPForbidden()
    if rule is not None:
        policy.authorize(ctx, rule, tenant)
    return ctx


def _is_utf8(req: webob.Request) -> bool:
    """Whether the path and query decode (webob raises on first use)."""
    try:
        req.path_info, req.GET
    except UnicodeDecodeError:
        return False
    return True


class Router:
    """Dispatches a request to the controller method its route names."""

    def __init__(self, mapper: routes.Mapper, handlers: dict,
                 max_body_size: int) -> None:
        self.mapper = mapper
        # route name -> (callable, takes a body, policy rule or None)
        self.handlers = handlers
        self.max_body_size = max_body_size

    @webob.dec.wsgify
    def __call__(self, req: webob.Request) -> webob.Response:
        if not _is_utf8(req):
            return faults.fault_response(req, exc.HTTPBadRequest(
                'The request URL is not valid UTF-8.'))
        started = time.monotonic()
        found = self._match(req.environ)
        if not found:
            return self._unmatched(req)
        match, route = found
        handler, takes_body, rule = self.handlers[route.name]
        args = {k: v for k, v in match.items()
                if k not in ('controller', 'action', 'tenant_id')}
        found = req.environ.get(CONTEXT_ENVIRON)
        ctx = found[0] if found else make_context(req, match['tenant_id'])
        try:
            _authenticated(req, match['tenant_id'], rule)
            if takes_body:
                args['body'] = params.read_json_body(req, self.max_body_size)
            resp = self._call(req, ctx, handler, args)
        except Exception as err:  # every error gets Heat's fault body
            resp = faults.fault_response(req, err)
        resp.headers['x-openstack-request-id'] = ctx.request_id
        oplog.record(ctx, handler.__name__, args, resp,
                     time.monotonic() - started)
        return resp

    def _match(self, environ: dict) -> tuple | None:
        """(values, route) for the request's path, None if no route.

        The path is matched as the client sent it (eventlet's
        RAW_PATH_INFO, when it is the same path as PATH_INFO) and each value
        unquoted afterwards, so a stack name holding ``/`` (``%2F``) is one
        value, as the link to it meant.
        """
        raw = environ.get('RAW_PATH_INFO')
        if raw is None or parse.unquote(
                raw, encoding='latin1') != environ.get('PATH_INFO'):
            return self.mapper.routematch(environ=environ)
        found = self.mapper.routematch(url=raw, environ=environ)
        if not found:
            return None
        match, route = found
        return {k: parse.unquote(v) if isinstance(v, str) else v
                for k, v in match.items()}, route

    @staticmethod
    def _call(req, ctx, handler: Callable, args: dict) -> webob.Response:
        try:
            result = handler(req, ctx, **args)
        except exc.HTTPException as http_exc:
            if isinstance(http_exc, exc.HTTPError):
                raise
            return req.get_response(http_exc)
        if isinstance(result, exc.HTTPException):
            return req.get_response(result)
        if isinstance(result, webob.Response):
            return result
        return json_response(result)

    def _unmatched(self, req: webob.Request) -> webob.Response:
        allowed = [m for m in ALL_METHODS if m != req.method and
                   self._match(dict(req.environ, REQUEST_METHOD=m))]
        if allowed and req.method == 'OPTIONS':
            return webob.Response(status=204,
                                  headers={'Allow': ','.join(allowed)})
        if allowed:
            return faults.fault_response(
                req, exc.HTTPMethodNotAllowed(
                    headers={'Allow': ','.join(allowed)}))
        return req.get_response(exc.HTTPNotFound())
