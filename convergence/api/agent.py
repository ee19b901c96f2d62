"""The engine-served URLs of servers' agents (software_config/agent_urls.py).

    GET|HEAD  /agent/v1/metadata/<token>  200, the server's metadata (JSON)
    PUT|POST  /agent/v1/signal/<token>    204, the deployment action's signal

No Keystone token and no policy: the token in the URL is the credential,
so this app is mounted beside the v1 app (``api.APIApp``), outside the
auth_token middleware that wraps only ``/v1``.  Exactly these two routes
are served here; anything else under ``/agent/`` is 404.  A signal's body
is read as JSON whatever its Content-Type (heat-config-notify PUTs a temp
URL without one); an empty body is an empty signal, as Heat takes none;
malformed JSON or a body that is no object is a 400 naming the problem.
Every way a token is wrong answers the same 404.

os-collect-config's request collector sends a HEAD before each GET and
skips the GET when the HEAD's ``Last-Modified`` is not later than the last
one it fetched (to the second).  The metadata is computed at each request,
so no ``Last-Modified`` is sent: a HEAD answers what the GET would (its
status and headers, the same 404 for a wrong token) without the body, and
every poll GETs the document.
"""

import json
import re
from typing import Any

from oslo_utils import uuidutils
import webob
import webob.dec
from webob import exc

from convergence import exceptions
from convergence.api import faults
from convergence.api import wsgi
from convergence.rpc.context import RequestContext
from convergence.software_config import agent_urls

PREFIX = agent_urls.PREFIX + '/'
_ROUTE = re.compile(r'^%s/(?P<kind>metadata|signal)/(?P<token>[^/]+)$'
                    % re.escape(agent_urls.PREFIX))
_METHODS = {agent_urls.METADATA: ('GET', 'HEAD'),
            agent_urls.SIGNAL: ('PUT', 'POST')}
# The user the engine calls are made as: the token, not a user, is the
# credential, and the engine answers only what the token is bound to.
AGENT_USER = 'agent'


class AgentApp:
    """Serves the two agent routes over the engine client."""

    def __init__(self, engine_client: Any, max_body_size: int) -> None:
        self.engine = engine_client
        self.max_body_size = max_body_size

    @webob.dec.wsgify
    def __call__(self, req: webob.Request) -> webob.Response:
        found = _ROUTE.match(req.path_info)
        if found is None:
            return faults.fault_response(req, exc.HTTPNotFound())
        kind, token = found.group('kind'), found.group('token')
        if req.method not in _METHODS[kind]:
            return faults.fault_response(req, exc.HTTPMethodNotAllowed(
                headers={'Allow': ','.join(_METHODS[kind])}))
        ctx = RequestContext(
            user_id=AGENT_USER, username=AGENT_USER, is_admin=False,
            request_id=req.environ.get(wsgi.REQUEST_ID_ENVIRON)
            or 'req-' + uuidutils.generate_uuid())
        try:
            if kind == agent_urls.METADATA:
                resp = wsgi.json_response(self.engine.agent_metadata(
                    ctx, token))
                if req.method == 'HEAD':
                    # the GET's headers (Content-Length too), no body
                    length = resp.content_length
                    resp.app_iter = []
                    resp.content_length = length
                return resp
            self.engine.agent_signal(ctx, token, self._signal(req))
            return webob.Response(status=204)
        except Exception as err:  # Heat's fault body, as the v1 app's
            return faults.fault_response(req, err)

    def _signal(self, req: webob.Request) -> dict:
        length = req.content_length
        if length is not None and length > self.max_body_size:
            raise exceptions.RequestLimitExceeded(
                message='JSON body size (%d bytes) exceeds maximum allowed '
                        'size (%d bytes).'
                        % (length, self.max_body_size))
        body = req.body_file.read(self.max_body_size + 1)
        if len(body) > self.max_body_size:
            raise exceptions.RequestLimitExceeded(
                message='JSON body exceeds maximum allowed size (%d '
                        'bytes).' % self.max_body_size)
        if not body.strip():
            return {}
        try:
            details = json.loads(body)
        except ValueError as err:
            raise exc.HTTPBadRequest('The signal is not valid JSON: %s' % err)
        if not isinstance(details, dict):
            raise exc.HTTPBadRequest('The signal must be a JSON object, not '
                                     '%s.' % type(details).__name__)
        return details


def is_agent_path(path: str) -> bool:
    return path.startswith(PREFIX)
