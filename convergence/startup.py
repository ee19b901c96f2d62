"""A process's configuration and logging, read once at start.

Shared by the console scripts (convergence/cmd/) and the WSGI entry point
(convergence/api/wsgi_app.py); importing it patches nothing, so a WSGI
server's process stays as the server made it.
"""

import importlib
import sys
from typing import Iterable

from oslo_config import cfg
from oslo_log import log as logging
import oslo_messaging.opts

from convergence import config
from convergence.template import yaql_function

LOG = logging.getLogger(__name__)


def load(argv, binary: str, cli_opts=(),
         default_config_files: Iterable[str] = ()) -> cfg.ConfigOpts:
    """Parse ``--config-file`` and friends into the registered options,
    set up logging and warn about each Heat option set but not honoured."""
    conf = config.register(cfg.CONF)
    register_messaging_opts(conf)
    logging.register_options(conf)
    conf.register_cli_opts(list(cli_opts))
    conf(argv if argv is not None else sys.argv[1:], project='convergence',
         prog=binary, default_config_files=list(default_config_files))
    logging.setup(conf, 'convergence')
    yaql_function.configure(conf.yaql.limit_iterators, conf.yaql.memory_quota)
    for warning in config.unhonoured_settings(conf):
        LOG.warning(warning)
    return conf


# oslo.messaging registers these groups on the global cfg.CONF only (at
# import), yet reads them from the conf it is handed; ours may be private.
_PRIVATE_MESSAGING_OPTS = [
    ('oslo_messaging._tracing.client', 'oslo_messaging_tracing'),
    ('oslo_messaging._metrics.client', 'oslo_messaging_metrics'),
]


def register_messaging_opts(conf: cfg.ConfigOpts) -> None:
    """Register oslo.messaging's options (``transport_url``…) on ``conf``."""
    for group, opts in oslo_messaging.opts.list_opts():
        conf.register_opts(opts, group=group)
    for module_name, group in _PRIVATE_MESSAGING_OPTS:
        try:
            opts = getattr(importlib.import_module(module_name), group)
        except (ImportError, AttributeError):
            continue  # an oslo.messaging without that feature
        conf.register_opts(opts, group=group)
