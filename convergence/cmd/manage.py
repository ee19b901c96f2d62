"""convergence-manage: database schema, engine services, stack repair."""

import datetime
import sys

from oslo_config import cfg

from convergence import states
from convergence.cmd import options
from db import api as db_api
from db import migration


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
            _status(service, now, conf.periodic_interval),
            service['updated_at']))


def _status(service, now, default_interval: int) -> str:
    """Up if the engine reported within two heartbeat intervals."""
    interval = service['report_interval'] or default_interval
    age = now - (service['updated_at'] or service['created_at'])
    return 'up' if age <= datetime.timedelta(seconds=2 * interval) else 'down'


def do_stack_reset(conf):
    """Mark a stuck stack FAILED and unlock its resources (operator tool)."""
    db = db_api.Database(conf.database.connection)
    stack = db.stack_get(conf.command.stack_id, show_deleted=False)
    if stack is None:
        sys.exit('Stack %s not found' % conf.command.stack_id)
    for row in db.resources_of_stack(stack['id']):
        if row['engine_id'] is not None:
            db.resource_cas(row['id'], {'engine_id': row['engine_id']},
                            {'engine_id': None,
                             'status': states.Status.FAILED,
                             'status_reason': 'Reset by operator',
                             'atomic_key': row['atomic_key'] + 1})
    db.stack_cas(stack['id'], stack['current_traversal'],
                 {'status': states.Status.FAILED,
                  'status_reason': 'Reset by operator',
                  'current_traversal': '', 'failure_reason': None})
    db.sync_points_delete(stack['id'])
    print('stack %s reset to %s_FAILED' % (stack['id'], stack['action']))


def add_commands(subparsers):
    db = subparsers.add_parser('db', help='database schema')
    db_sub = db.add_subparsers(dest='db_action')
    sync = db_sub.add_parser('sync', help='upgrade the schema')
    sync.add_argument('version', nargs='?', default='head')
    sync.set_defaults(func=do_db_sync)
    version = db_sub.add_parser('version', help='current schema revision')
    version.set_defaults(func=do_db_version)
    service = subparsers.add_parser('service', help='engine processes')
    service_sub = service.add_subparsers(dest='service_action')
    service_sub.add_parser('list', help='engines and their liveness') \
        .set_defaults(func=do_service_list)
    stack = subparsers.add_parser('stack', help='stack repair')
    stack_sub = stack.add_subparsers(dest='stack_action')
    reset = stack_sub.add_parser('reset', help='mark a stuck stack FAILED')
    reset.add_argument('stack_id')
    reset.set_defaults(func=do_stack_reset)


def main(argv=None):
    command = cfg.SubCommandOpt('command', title='Commands',
                                handler=add_commands)
    conf = options.load(argv, 'convergence-manage', [command])
    if not hasattr(conf.command, 'func'):
        sys.exit('usage: convergence-manage {db sync|db version|service list'
                 '|stack reset STACK_ID}')
    conf.command.func(conf)
