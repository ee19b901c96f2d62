"""convergence-manage: database schema, engine services, stack repair.

The commands and their safety are heat-manage's (heat/cmd/manage.py):
``db_sync``, ``db_version``, ``purge_deleted``, ``service list|clean`` and
``reset_stack_status``.  ``db sync``, ``db version`` and ``stack reset``
are the older spellings of the same commands.  ``import-heat`` brings an
upstream Heat database's stacks over (convergence/importing/).
"""

import datetime
import sys

from oslo_config import cfg

from convergence import states
from convergence import startup
from convergence.cmd import options
from convergence.engine import catalog
from convergence.importing import command as import_command
from convergence.importing import heat_crypt
from convergence.importing import heat_source
from convergence.recovery import manual_reset
from convergence.resources import plugin_loader
from convergence.recovery import liveness
from db import api as db_api
from db import migration

# heat-manage purge_deleted's defaults: stacks deleted over 90 days ago.
DEFAULT_PURGE_AGE = 90
GRANULARITIES = ('days', 'hours', 'minutes', 'seconds')
CONFIRMATION = ('Warning: this command is potentially destructive and only '
                'intended to recover from specific crashes.\n'
                'It is advised to shutdown all engines beforehand.\n'
                'Continue ? [y/N]')


def do_db_sync(conf):
    options.ensure_sqlite_dir(conf.database.connection)
    migration.db_sync(conf.database.connection, conf.command.version)
    print('database at revision %s' % migration.db_version(
        conf.database.connection))


def do_db_version(conf):
    print(migration.db_version(conf.database.connection))


def do_service_list(conf):
    db = db_api.Database(conf.database.connection)
    now = db_api.utcnow()
    print('%-36s %-20s %-20s %-6s %s' % ('engine_id', 'host', 'binary',
                                         'status', 'updated_at'))
    for service in db.service_list():
        print('%-36s %-20s %-20s %-6s %s' % (
            service['engine_id'], service['host'], service['binary'],
            catalog.service_status(service, now, conf.periodic_interval),
            service['updated_at']))


def do_service_clean(conf):
    """Delete the rows of engines that are down (heat-manage service clean)."""
    db = db_api.Database(conf.database.connection)
    now = db_api.utcnow()
    for service in db.service_list():
        if catalog.service_status(service, now, conf.periodic_interval) == 'down':
            db.service_delete(service['engine_id'])
            print('Dead engine %s is removed.' % service['engine_id'])


def purge_cutoff(now: datetime.datetime, age: int,
                 granularity: str) -> datetime.datetime:
    """Stacks deleted before this are purged."""
    if age < 0:
        raise ValueError('age must be a positive integer')
    return now - datetime.timedelta(**{granularity: age})


def do_purge_deleted(conf):
    """Remove stacks deleted longer ago than ``age`` with all their rows."""
    try:
        cutoff = purge_cutoff(db_api.utcnow(), conf.command.age,
                              conf.command.granularity)
    except ValueError as err:
        sys.exit(str(err))
    db = db_api.Database(conf.database.connection)
    purged = sum(db.stack_purge(stack_id)
                 for stack_id in db.stacks_deleted_before(cutoff))
    print('%d deleted stacks purged (deleted before %s)' % (purged, cutoff))


def do_reset_stack_status(conf):
    """Mark a stack whose traversal died FAILED and unlock its resources;
    its nested stacks still IN_PROGRESS too, as heat-manage does."""
    db = db_api.Database(conf.database.connection)
    stack = db.stack_get(conf.command.stack_id, show_deleted=False)
    if stack is None:
        sys.exit('Stack %s not found' % conf.command.stack_id)
    tree = [stack] + [child for child in _descendants(db, stack['id'])
                      if child['status'] == states.Status.IN_PROGRESS]
    rows = {s['id']: db.resources_of_stack(s['id'], active_only=False)
            for s in tree}
    now, services = db_api.utcnow(), db.service_list()
    for member in tree:
        refused = manual_reset.refusal(
            member, rows[member['id']], services,
            db.stack_activity(member['id'])[0], now,
            liveness.down_time(conf.periodic_interval))
        if refused:
            sys.exit('Not reset: %s' % refused)
    if not _confirmed():
        return
    # The deepest first: a parent is never FAILED over a child still
    # IN_PROGRESS (Heat resets the children before the parent too).
    for member in reversed(tree):
        _reset(db, member, rows[member['id']])
        print('stack %s reset to %s_FAILED'
              % (member['id'], member['action']))


def _descendants(db, stack_id: str) -> list[dict]:
    """Every nested stack below ``stack_id``, parents before children."""
    found = []
    for child in db.stack_list(None, filters={'owner_id': stack_id}):
        found.append(child)
        found.extend(_descendants(db, child['id']))
    return found


def _reset(db, stack: dict, rows: list[dict]) -> None:
    for row in manual_reset.rows_to_fail(rows):
        db.resource_cas(row['id'], {'engine_id': row['engine_id'],
                                    'atomic_key': row['atomic_key']},
                        {'engine_id': None, 'status': states.Status.FAILED,
                         'status_reason': manual_reset.REASON,
                         'atomic_key': row['atomic_key'] + 1})
    if not db.stack_cas(stack['id'], stack['current_traversal'],
                        {'status': states.Status.FAILED,
                         'status_reason': manual_reset.REASON,
                         'current_traversal': '', 'failure_reason': None}):
        sys.exit('Not reset: stack %s started another operation meanwhile'
                 % stack['id'])
    db.sync_points_delete(stack['id'])


def do_import_heat(conf):
    """Bring every live stack of a Heat database over (docs/operations.md).

    Exits 1 when a tree was refused, after reporting every tree.
    """
    # The engines' own plugins count among the types that can come over.
    plugin_loader.load_plugins(conf.plugin_dirs)
    db = db_api.Database(conf.database.connection)
    try:
        report = import_command.run(
            conf.command.heat_connection, db,
            conf.command.heat_auth_encryption_key, db_api.utcnow(),
            dry_run=conf.command.dry_run)
    except heat_source.NotHeatDatabase as exc:
        sys.exit(str(exc))
    for warning in report.warnings:
        print('warning: %s' % warning, flush=True)
    outcomes = report.outcomes
    for outcome in outcomes:
        print(('refused: %s' if outcome.verdict == 'refused' else '%s')
              % outcome.message, flush=True)
    counts = {v: sum(1 for o in outcomes if o.verdict == v)
              for v in ('imported', 'skipped', 'refused')}
    print('%s%d imported, %d skipped, %d refused' % (
        'dry run: ' if conf.command.dry_run else '', counts['imported'],
        counts['skipped'], counts['refused']))
    if counts['refused']:
        sys.exit(1)


def _confirmed() -> bool:
    """heat-manage's question; anything but y/yes (or no input) is no."""
    print(CONFIRMATION, flush=True)
    try:
        answer = input()
    except EOFError:
        return False
    return answer.strip().lower().startswith('y')


def _db_commands(subparsers):
    db = subparsers.add_parser('db', help='database schema')
    db_sub = db.add_subparsers(dest='db_action')
    for parent, sync_name, version_name in (
            (subparsers, 'db_sync', 'db_version'), (db_sub, 'sync', 'version')):
        sync = parent.add_parser(sync_name, help='upgrade the schema')
        sync.add_argument('version', nargs='?', default='head')
        sync.set_defaults(func=do_db_sync)
        parent.add_parser(version_name, help='current schema revision') \
            .set_defaults(func=do_db_version)


def _purge_command(subparsers):
    purge = subparsers.add_parser(
        'purge_deleted', help='remove stacks deleted longer ago than AGE')
    purge.add_argument('age', nargs='?', type=int, default=DEFAULT_PURGE_AGE,
                       help='how long ago (default %d)' % DEFAULT_PURGE_AGE)
    purge.add_argument('-g', '--granularity', default='days',
                       choices=GRANULARITIES, help='unit of AGE')
    purge.set_defaults(func=do_purge_deleted)


def _service_commands(subparsers):
    service = subparsers.add_parser('service', help='engine processes')
    service_sub = service.add_subparsers(dest='service_action')
    service_sub.add_parser('list', help='engines and their liveness') \
        .set_defaults(func=do_service_list)
    service_sub.add_parser('clean', help='remove the rows of engines down') \
        .set_defaults(func=do_service_clean)


def _reset_commands(subparsers):
    help_text = 'mark an IN_PROGRESS stack whose traversal died FAILED'
    stack = subparsers.add_parser('stack', help='stack repair')
    stack_sub = stack.add_subparsers(dest='stack_action')
    for parent, name in ((subparsers, 'reset_stack_status'),
                         (stack_sub, 'reset')):
        reset = parent.add_parser(name, help=help_text)
        reset.add_argument('stack_id')
        reset.set_defaults(func=do_reset_stack_status)


def _import_command(subparsers):
    parser = subparsers.add_parser(
        'import-heat', help="bring an upstream Heat database's stacks over")
    parser.add_argument('--heat-connection', required=True, metavar='URL',
                        help="Heat's [database] connection")
    parser.add_argument('--heat-auth-encryption-key',
                        default=heat_crypt.HEAT_DEFAULT_KEY, metavar='KEY',
                        help="Heat's auth_encryption_key (default: Heat's "
                             "default), to read the resource data Heat "
                             "encrypted")
    parser.add_argument('--dry-run', action='store_true',
                        help='report what would be imported or refused; '
                             'write nothing')
    parser.set_defaults(func=do_import_heat)


def add_commands(subparsers):
    _db_commands(subparsers)
    _import_command(subparsers)
    _purge_command(subparsers)
    _service_commands(subparsers)
    _reset_commands(subparsers)


USAGE = ('usage: convergence-manage {db_sync [VERSION]|db_version'
         '|purge_deleted [AGE] [-g days|hours|minutes|seconds]'
         '|service list|service clean|reset_stack_status STACK_ID'
         '|import-heat --heat-connection URL [--dry-run]}')


def main(argv=None):
    command = cfg.SubCommandOpt('command', title='Commands',
                                handler=add_commands)
    conf = startup.load(argv, 'convergence-manage', [command])
    if not hasattr(conf.command, 'func'):
        sys.exit(USAGE)
    conf.command.func(conf)
