"""The machine's shared services: private databases and vhosts, restarts.

MariaDB (root, no password), PostgreSQL (user postgres, trust) and RabbitMQ
(guest) run on 127.0.0.1.  A deployment makes its own database and vhost
here and drops them afterwards.  ``restart_mariadb`` and ``restart_rabbitmq``
inject real outages; ``ensure_running`` is called after every deployment so
a failed test never leaves a service down for the next one.
"""

import os
import socket
import subprocess
import time

import pymysql
import psycopg2

from functional_tests import waiting

MYSQL = dict(host='127.0.0.1', port=3306, user='root', password='')
POSTGRES = dict(host='127.0.0.1', port=5432, user='postgres',
                dbname='postgres')
RABBIT_PORT = 5672
MARIADB_DAEMON = '/usr/sbin/mariadbd'
MARIADB_PID_FILE = '/run/mysqld/mysqld.pid'
# Seconds a service may take to stop or to accept connections again.
SERVICE_TIMEOUT = 60
# Seconds one rabbitmqctl command may take.
RABBITMQCTL_TIMEOUT = 60


class ServiceError(Exception):
    """A service command failed; the message has its output."""


def _run(cmd: list[str], timeout: float = RABBITMQCTL_TIMEOUT) -> str:
    result = subprocess.run(cmd, capture_output=True, text=True,
                            timeout=timeout)
    if result.returncode != 0:
        raise ServiceError('%s exited %s: %s%s' % (
            ' '.join(cmd), result.returncode, result.stdout, result.stderr))
    return result.stdout


# -- databases ---------------------------------------------------------------

class _Server:
    """One local database server: its URL, and statements run on it."""

    def __init__(self, url: str, params: dict, connect, drop_sql: str):
        self.url = url % params
        self._connect = lambda: connect(**params)
        self.drop_sql = drop_sql

    def execute(self, sql: str) -> None:
        self.query_column(sql)

    def query_column(self, sql: str) -> list:
        """The first column of every row ``sql`` returns (none: [])."""
        connection = self._connect()
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql)
                if cursor.description is None:
                    # A statement that returns no rows (CREATE, DROP):
                    # psycopg2 refuses to fetch from it.
                    return []
                return [row[0] for row in cursor.fetchall() or ()]
        finally:
            connection.close()


def _autocommit(connection):
    connection.autocommit = True  # CREATE DATABASE refuses a transaction
    return connection


SERVERS = {
    'mariadb': _Server('mysql+pymysql://%(user)s@%(host)s:%(port)d/', MYSQL,
                       pymysql.connect, 'DROP DATABASE IF EXISTS %s'),
    # FORCE: a SIGKILLed engine's connections may linger server-side
    'postgresql': _Server(
        'postgresql+psycopg2://%(user)s@%(host)s:%(port)d/', POSTGRES,
        lambda **params: _autocommit(psycopg2.connect(**params)),
        'DROP DATABASE IF EXISTS %s WITH (FORCE)'),
}


class PrivateDatabase:
    """A database of our own on a local server, made and dropped here."""

    def __init__(self, backend: str, name: str):
        self.backend, self.name = backend, name
        self._server = SERVERS[backend]
        self.url = self._server.url + name

    def create(self) -> None:
        self._server.execute('CREATE DATABASE %s' % self.name)

    def drop(self) -> None:
        self._server.execute(self._server.drop_sql % self.name)


def database(backend: str, name: str) -> PrivateDatabase:
    """The private database ``name`` on ``backend`` (mariadb|postgresql)."""
    if backend not in SERVERS:
        raise ValueError('unknown database backend %r; choose one of %s'
                         % (backend, ', '.join(sorted(SERVERS))))
    return PrivateDatabase(backend, name)


# -- RabbitMQ vhosts ---------------------------------------------------------

def add_vhost(vhost: str) -> None:
    _run(['rabbitmqctl', 'add_vhost', vhost])
    _run(['rabbitmqctl', 'set_permissions', '-p', vhost, 'guest',
          '.*', '.*', '.*'])


def delete_vhost(vhost: str) -> None:
    subprocess.run(['rabbitmqctl', 'delete_vhost', vhost],
                   capture_output=True, timeout=RABBITMQCTL_TIMEOUT)


def rabbit_url(vhost: str) -> str:
    return 'rabbit://guest:guest@127.0.0.1:%d/%s' % (RABBIT_PORT, vhost)


# -- outages -----------------------------------------------------------------

def accepts(port: int) -> bool:
    """Whether something accepts TCP connections on 127.0.0.1:``port``."""
    try:
        with socket.create_connection(('127.0.0.1', port), timeout=1):
            return True
    except OSError:
        return False


def mariadb_answers() -> bool:
    try:
        SERVERS['mariadb'].execute('SELECT 1')
    except pymysql.MySQLError:
        return False
    return True


def _mariadb_pid() -> int | None:
    try:
        with open(MARIADB_PID_FILE) as f:
            pid = int(f.read().strip())
        os.kill(pid, 0)
        return pid
    except (OSError, ValueError):
        return None


def stop_mariadb() -> None:
    """Shut MariaDB down and wait until its process is gone."""
    pid = _mariadb_pid()
    _run(['mysqladmin', '-u' + MYSQL['user'], 'shutdown'],
         timeout=SERVICE_TIMEOUT)
    waiting.wait_until(lambda: not accepts(MYSQL['port']) and (
        pid is None or not _process_exists(pid)), SERVICE_TIMEOUT,
        'MariaDB to stop')


def start_mariadb() -> None:
    """Start MariaDB (a no-op when it runs) and wait for connections."""
    _run(['start-stop-daemon', '--start', '--oknodo', '--background',
          '--exec', MARIADB_DAEMON], timeout=SERVICE_TIMEOUT)
    waiting.wait_until(mariadb_answers, SERVICE_TIMEOUT,
                       'MariaDB to accept connections')


def restart_mariadb(down_seconds: float = 0) -> None:
    stop_mariadb()
    time.sleep(down_seconds)
    start_mariadb()


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def stop_rabbitmq() -> None:
    _run(['rabbitmqctl', 'stop_app'])


def start_rabbitmq() -> None:
    """Start the RabbitMQ application and wait until it takes clients."""
    _run(['rabbitmqctl', 'start_app'])
    _run(['rabbitmqctl', 'await_startup'])
    waiting.wait_until(lambda: accepts(RABBIT_PORT), SERVICE_TIMEOUT,
                       'RabbitMQ to accept connections')


def restart_rabbitmq(down_seconds: float = 0) -> None:
    stop_rabbitmq()
    time.sleep(down_seconds)
    start_rabbitmq()


def ensure_running() -> None:
    """Bring MariaDB and RabbitMQ back if a test left either down."""
    if not mariadb_answers():
        start_mariadb()
    if not accepts(RABBIT_PORT):
        start_rabbitmq()
