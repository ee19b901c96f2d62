"""Command-line handling shared by the console scripts."""

import os
import sys

from oslo_config import cfg
from oslo_log import log as logging

from convergence import config


def load(argv, binary: str, cli_opts=()) -> cfg.ConfigOpts:
    """Parse ``--config-file`` and friends into the registered options."""
    conf = config.register(cfg.ConfigOpts())
    logging.register_options(conf)
    conf.register_cli_opts(list(cli_opts))
    conf(argv if argv is not None else sys.argv[1:], project='convergence',
         prog=binary, default_config_files=[])
    logging.setup(conf, 'convergence')
    return conf


def ensure_sqlite_dir(url: str) -> None:
    """The embedded default keeps its SQLite file in a directory we create."""
    if url.startswith('sqlite:///') and not url.startswith('sqlite:///:memory:'):
        directory = os.path.dirname(url[len('sqlite:///'):])
        if directory:
            os.makedirs(directory, exist_ok=True)
