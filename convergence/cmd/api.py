"""convergence-api: the Heat orchestration REST API over the engine RPC API."""

from convergence import startup
from convergence.cmd import all as all_in_one
from convergence.rpc import client as rpc_client


def main(argv=None):
    conf = startup.load(argv, 'convergence-api', all_in_one.cli_opts[:2])
    all_in_one.serve_api(conf, rpc_client.get_rpc_transport(conf))
