"""Each service's database schema, made or brought up to date.

The commands of all services but Keystone (identity.bootstrap does its own)
run in parallel, each with its output in ``logs/setup-<service>.out``;
every command is idempotent.  Nova's includes its cells: cell0 and cell1
mapped once.
"""

import os
import subprocess

from functional_tests.cloud import layout as layout_mod

# Seconds all schema commands together may take (Nova's ~1 min here).
SYNC_TIMEOUT = 900


class SchemaFailed(Exception):
    """A service's schema command failed; names it and shows its output."""


def _commands(lay: layout_mod.Layout) -> dict[str, list[list[str]]]:
    etc = lay.etc
    nova = [lay.bin('nova-manage'), '--config-file',
            os.path.join(etc, 'nova', 'nova.conf')]
    return {
        'placement': [[lay.bin('placement-manage'), '--config-file',
                       os.path.join(etc, 'placement', 'placement.conf'),
                       'db', 'sync']],
        'glance': [[lay.bin('glance-manage'), '--config-file',
                    os.path.join(etc, 'glance', 'glance-api.conf'),
                    'db_sync']],
        'nova': [nova + ['api_db', 'sync'],
                 nova + ['cell_v2', 'map_cell0', '--database_connection',
                         lay.database_url('nova_cell0')],
                 nova + ['db', 'sync']],
        'neutron': [[lay.bin('neutron-db-manage'), '--config-file',
                     os.path.join(etc, 'neutron', 'neutron.conf'),
                     '--config-file', os.path.join(etc, 'neutron',
                                                   'ml2_conf.ini'),
                     'upgrade', 'heads']],
        'cinder': [[lay.bin('cinder-manage'), '--config-file',
                    os.path.join(etc, 'cinder', 'cinder.conf'),
                    'db', 'sync']],
    }


def _script(commands: list[list[str]]) -> list[str]:
    """One shell running ``commands`` in order, stopping at a failure."""
    return ['sh', '-ec', '\n'.join(
        ' '.join(_quote(word) for word in command) for command in commands)]


def _quote(word: str) -> str:
    return "'%s'" % word.replace("'", "'\\''")


def sync(lay: layout_mod.Layout) -> None:
    """Run every service's schema commands; SchemaFailed names the first
    service that failed."""
    running = {}
    for service, commands in _commands(lay).items():
        out = open(lay.path('logs', 'setup-%s.out' % service), 'w')
        running[service] = (subprocess.Popen(
            _script(commands), stdout=out, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL), out)
    failed = []
    for service, (process, out) in running.items():
        try:
            code = process.wait(SYNC_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            code = 'killed after %ss' % SYNC_TIMEOUT
        out.close()
        if code != 0:
            failed.append((service, code, out.name))
    if failed:
        raise SchemaFailed('; '.join(
            'the %s schema command exited %s:\n%s' % (
                service, code, _tail(path)) for service, code, path in failed))
    _cell1(lay)


def _cell1(lay: layout_mod.Layout) -> None:
    """Nova's cell1 (the cell servers go to), created once."""
    nova = [lay.bin('nova-manage'), '--config-file',
            os.path.join(lay.etc, 'nova', 'nova.conf'), 'cell_v2']
    cells = subprocess.run(nova + ['list_cells'], capture_output=True,
                           text=True, timeout=SYNC_TIMEOUT)
    if ' cell1 ' in cells.stdout:
        return
    created = subprocess.run(nova + ['create_cell', '--name', 'cell1'],
                             capture_output=True, text=True,
                             timeout=SYNC_TIMEOUT)
    if created.returncode != 0:
        raise SchemaFailed('nova-manage cell_v2 create_cell exited %s:\n%s%s'
                           % (created.returncode, created.stdout,
                              created.stderr[-3000:]))


def discover_hosts(lay: layout_mod.Layout) -> None:
    """Map the compute hosts that registered since to cell1."""
    result = subprocess.run(
        [lay.bin('nova-manage'), '--config-file',
         os.path.join(lay.etc, 'nova', 'nova.conf'), 'cell_v2',
         'discover_hosts'], capture_output=True, text=True,
        timeout=SYNC_TIMEOUT)
    if result.returncode != 0:
        raise SchemaFailed('nova-manage cell_v2 discover_hosts exited %s:\n'
                           '%s%s' % (result.returncode, result.stdout,
                                     result.stderr[-3000:]))


def _tail(path: str, size: int = 3000) -> str:
    with open(path, 'rb') as f:
        return f.read()[-size:].decode('utf-8', 'replace')
