"""The REST API as heat-api deploys it: the v1 app behind Heat's middleware.

heat-api's api-paste.ini mounts oslo.middleware's Healthcheck at
``/healthcheck`` beside the API pipeline, whose filters (of those that
apply without keystone) are ``request_id`` then ``http_proxy_to_wsgi``.
Here the same, without paste:

- ``/healthcheck``: Healthcheck, configured by ``[healthcheck]`` (200 "OK"
  unless a backend such as ``disable_by_file`` says otherwise);
- everything else: RequestId (the ``x-openstack-request-id`` header; the
  request context takes its id from it), then HTTPProxyToWSGI (honours
  ``Forwarded`` / ``X-Forwarded-Proto``… when ``[oslo_middleware]
  enable_proxy_headers_parsing`` is set, as in Heat), then the v1 app.

With Keystone (api/auth.py: ``[paste_deploy] flavor = keystone`` or a
``[keystone_authtoken]`` section), the v1 routes sit behind
keystonemiddleware's auth_token and Heat's context middleware, as in
heat-api's ``heat-api`` pipeline; noauth (the default) says so in a WARNING.

Errors keep being rendered by the v1 app's router (api/faults.py).
"""

from typing import Any, Callable

from oslo_config import cfg
from oslo_middleware import healthcheck
from oslo_middleware import http_proxy_to_wsgi
from oslo_middleware import request_id

from convergence import api
from convergence.api import auth

HEALTHCHECK_PATH = '/healthcheck'


class Mount:
    """Sends ``/healthcheck`` (and below) to the health check, the rest on."""

    def __init__(self, health: Callable, rest: Callable) -> None:
        self.health = health
        self.rest = rest

    def __call__(self, environ: dict, start_response):
        path = environ.get('PATH_INFO', '')
        if path == HEALTHCHECK_PATH or path.startswith(HEALTHCHECK_PATH + '/'):
            return self.health(environ, start_response)
        return self.rest(environ, start_response)


def build(engine_client: Any, conf: cfg.ConfigOpts) -> Mount:
    """The deployed API over ``engine_client``; middleware options from
    ``conf`` (which they register their groups on).  Raises
    auth.AuthConfigError when Keystone is asked for and cannot be had."""
    app = api.make_app(engine_client, conf, auth.v1_filter(conf))
    app = http_proxy_to_wsgi.HTTPProxyToWSGI(app, conf)
    app = request_id.RequestId(app, conf)
    return Mount(healthcheck.Healthcheck(None, conf), app)
