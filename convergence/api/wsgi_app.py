"""The REST API as a WSGI application, for uwsgi or mod_wsgi.

As heat-api's (heat/httpd/heat_api.py, imported by heat/wsgi/api.py):
convergence/wsgi/api.py's module-level ``application`` is
``init_application()``, built at import from the configuration file named by
``CONVERGENCE_CONFIG_FILE`` (several: separated by commas) or else
``/etc/convergence/convergence.conf``, with logging set up from it.  The
engines run elsewhere (convergence-engine); the application reaches them
over the configured ``transport_url``.  See docs/operations.md.

    uwsgi --http-socket :8004 --enable-threads --lazy-apps \
          --module convergence.wsgi.api:application
"""

import os
from typing import Callable, Mapping

from oslo_config import cfg
from oslo_log import log as logging

from convergence import startup
from convergence.api import pipeline
from convergence.rpc import client as rpc_client

LOG = logging.getLogger(__name__)

CONFIG_FILE_ENV = 'CONVERGENCE_CONFIG_FILE'
DEFAULT_CONFIG_FILE = '/etc/convergence/convergence.conf'


def config_files(environ: Mapping[str, str]) -> list[str]:
    """The configuration files ``environ`` names, or the default one."""
    named = [path.strip() for path in environ.get(CONFIG_FILE_ENV, '').split(',')
             if path.strip()]
    return named or [DEFAULT_CONFIG_FILE]


def init_application(environ: Mapping[str, str] = os.environ) -> Callable:
    """Read the configuration, set up logging, build the API pipeline."""
    # As Heat: a reloaded application parses its files again.
    cfg.CONF.reset()
    files = config_files(environ)
    missing = [path for path in files if not os.path.exists(path)]
    if missing:
        raise RuntimeError('configuration file %s not found (set %s)' % (
            ', '.join(missing), CONFIG_FILE_ENV))
    conf = startup.load([], 'convergence-api', default_config_files=files)
    transport = rpc_client.get_rpc_transport(conf)
    LOG.info('Heat orchestration API (WSGI) from %s', ', '.join(files))
    return pipeline.build(rpc_client.EngineClient(transport), conf)
