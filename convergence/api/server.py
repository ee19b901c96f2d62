"""The REST API's HTTP server: eventlet.wsgi, bounded so one client cannot
stop it.

eventlet's defaults let a single client take the whole server: 1,024 green
threads, each held for as long as its connection is open, and no timeout,
so 1,024 idle keep-alive connections (or connections that never finish
their headers) leave every other client waiting.  Here

- a connection idle between requests is closed after ``keep_alive_timeout``
  seconds, and any single read or write (a header line, a piece of the
  body) may wait ``client_socket_timeout`` seconds;
- one source address holds at most ``max_connections_per_client``
  connections; the next ones are answered 503 at once and closed;
- the pool (``max_connections``) is larger than any one client's share, so
  others still find room.
"""

import collections
from typing import Any, Callable

import eventlet
from eventlet import wsgi as eventlet_wsgi

from convergence.api import params

# Sent to a connection over its address's share: no request is read.
BUSY_RESPONSE = (b'HTTP/1.1 503 Service Unavailable\r\n'
                 b'Connection: close\r\nContent-Length: 0\r\n'
                 b'Retry-After: 1\r\n\r\n')


class ClientPool:
    """A GreenPool that gives each source address a bounded share.

    eventlet.wsgi.server calls ``spawn(handler, connection)`` (connection is
    ``[address, socket, state]``) and links its connection clean-up to the
    returned green thread; it calls ``waitall()`` on shutdown.
    """

    def __init__(self, size: int, per_client: int) -> None:
        self.pool = eventlet.GreenPool(size)
        self.per_client = per_client
        self.open: collections.Counter = collections.Counter()

    def spawn(self, handler: Callable, connection: list) -> Any:
        host = connection[0][0]
        if self.per_client and self.open[host] >= self.per_client:
            # Outside the pool: refusing must not wait for a free slot.
            return eventlet.spawn(_refuse, connection[1])
        self.open[host] += 1
        thread = self.pool.spawn(handler, connection)
        thread.link(self._closed, host)
        return thread

    def _closed(self, thread, host: str) -> None:
        self.open[host] -= 1
        if not self.open[host]:
            del self.open[host]

    def waitall(self) -> None:
        self.pool.waitall()


def _refuse(sock) -> None:
    """503 without reading; eventlet's clean-up then closes the socket."""
    try:
        sock.sendall(BUSY_RESPONSE)
    except OSError:
        pass  # the client is gone already


class HttpProtocol(eventlet_wsgi.HttpProtocol):
    """eventlet's protocol, letting the app close the connection after its
    response (``environ[params.CLOSE_CONNECTION]()``), so the rest of a body
    it refused unread is not read and discarded first."""

    def get_environ(self) -> dict:
        environ = super().get_environ()
        environ[params.CLOSE_CONNECTION] = self._close_after_response
        return environ

    def _close_after_response(self) -> None:
        # Read when the response starts: keep-alive only while this is 0.
        self.close_connection = 1


def serve(sock, app: Callable, limits: Any, log: Any = None) -> None:
    """Serve ``app`` on ``sock`` until killed.

    ``limits`` has the options ``client_socket_timeout``,
    ``keep_alive_timeout``, ``max_connections`` and
    ``max_connections_per_client``.
    """
    pool = ClientPool(limits.max_connections,
                      limits.max_connections_per_client)
    eventlet_wsgi.server(
        sock, app, log=log, log_output=False, protocol=HttpProtocol,
        custom_pool=pool,
        # a number: the seconds to wait for the next request; 0: no reuse
        keepalive=limits.keep_alive_timeout or False,
        socket_timeout=limits.client_socket_timeout or None)
