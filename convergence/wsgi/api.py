"""WSGI script of the REST API (convergence-api under uwsgi or mod_wsgi)."""

from convergence.api import wsgi_app

application = wsgi_app.init_application()
