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

Errors keep being rendered by the v1 app's router (api/faults.py).
"""

from typing import Any, Callable

from oslo_config import cfg
from oslo_middleware import healthcheck
from oslo_middleware import http_proxy_to_wsgi
from oslo_middleware import request_id

from convergence import api

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
    ``conf`` (which they register their groups on)."""
    app = api.make_app(engine_client, conf)
    app = http_proxy_to_wsgi.HTTPProxyToWSGI(app, conf)
    app = request_id.RequestId(app, conf)
    return Mount(healthcheck.Healthcheck(None, conf), app)
