"""A server's metadata and its deployments' signal URLs, over real HTTP.

The role the engine plays for an agent (Heat's POLL_TEMP_URL metadata and
TEMP_URL_SIGNAL / CFN_SIGNAL URLs), played by a small HTTP server in the
test process so that the agent chain (os-collect-config and
convergence-heat-config, functional_tests/agents.py) can be tested on its
own: GET or HEAD of the metadata URL answers the document the test set
(Heat's server-metadata shape); PUT or POST to a signal URL is recorded,
with the answer the test chose for that URL (200 unless told otherwise).
"""

import dataclasses
import http.server
import json
import threading
import time
import uuid

METADATA_PATH = '/metadata'
SIGNAL_PREFIX = '/signal/'


@dataclasses.dataclass(frozen=True)
class Signal:
    """One request a signal URL got."""

    path: str
    verb: str
    body: object      # the parsed JSON, or the raw text when it is not JSON
    status: int       # what the server answered
    at: float


class MetadataServer:
    """Serves one metadata document and records the signals it gets."""

    def __init__(self, host: str = '127.0.0.1', port: int = 0):
        self._lock = threading.Lock()
        self._document = {'deployments': []}
        self._answers: dict[str, list[int]] = {}
        self.signals: list[Signal] = []
        self.metadata_fetches = 0
        self._httpd = http.server.ThreadingHTTPServer(
            (host, port), _handler(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever,
                                        daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return 'http://%s:%d' % (host, port)

    @property
    def metadata_url(self) -> str:
        return self.base_url + METADATA_PATH

    def start(self) -> 'MetadataServer':
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    # -- what the test sets ---------------------------------------------

    def set_deployments(self, deployments: list[dict]) -> None:
        """The document becomes ``{"os-collect-config": {...},
        "deployments": deployments}`` (Heat's shape)."""
        with self._lock:
            self._document = {
                'os-collect-config': {'request': {
                    'metadata_url': self.metadata_url}},
                'deployments': deployments}

    def signal_url(self, base_url: str | None = None) -> str:
        """A new unguessable signal URL (on this server unless told)."""
        return '%s%s%s' % (base_url or self.base_url, SIGNAL_PREFIX,
                           uuid.uuid4().hex)

    def answer(self, url: str, *statuses: int) -> None:
        """The next requests to ``url`` get ``statuses``, in turn (then
        200)."""
        with self._lock:
            self._answers[_path(url)] = list(statuses)

    # -- what the test reads ----------------------------------------------

    def signals_to(self, url: str, landed_only: bool = True) -> list[Signal]:
        path = _path(url)
        with self._lock:
            return [s for s in self.signals if s.path == path and (
                not landed_only or 200 <= s.status < 300)]

    # -- the handler's side ---------------------------------------------

    def _metadata(self) -> bytes:
        with self._lock:
            self.metadata_fetches += 1
            return json.dumps(self._document).encode()

    def _record(self, path: str, verb: str, raw: bytes) -> int:
        try:
            body = json.loads(raw)
        except ValueError:
            body = raw.decode('utf-8', 'replace')
        with self._lock:
            queue = self._answers.get(path) or []
            status = queue.pop(0) if queue else 200
            self.signals.append(Signal(path, verb, body, status,
                                       time.time()))
        return status


def _path(url: str) -> str:
    return '/' + url.split('://', 1)[-1].split('/', 1)[-1]


def _handler(server: MetadataServer):

    class Handler(http.server.BaseHTTPRequestHandler):

        def do_GET(self):
            self._metadata(with_body=True)

        def do_HEAD(self):
            self._metadata(with_body=False)

        def do_PUT(self):
            self._signal()

        def do_POST(self):
            self._signal()

        def _metadata(self, with_body: bool):
            if self.path != METADATA_PATH:
                return self._answer(404, b'{"error": "no such metadata"}')
            self._answer(200, server._metadata() if with_body else b'')

        def _signal(self):
            raw = self.rfile.read(int(self.headers.get('Content-Length', 0)))
            if not self.path.startswith(SIGNAL_PREFIX):
                return self._answer(404, b'{"error": "no such signal"}')
            status = server._record(self.path, self.command, raw)
            self._answer(status, b'{}')

        def _answer(self, status: int, body: bytes):
            self.send_response(status)
            self.send_header('Content-Type', 'application/json')
            self.send_header('Content-Length', str(len(body)))
            self.end_headers()
            if body and self.command != 'HEAD':
                self.wfile.write(body)

        def log_message(self, format, *args):
            pass

    return Handler


def derived_config(id: str, name: str, config: str, signal_url: str | None,
                   action: str = 'CREATE', inputs: dict | None = None,
                   outputs: list[str] = (), group: str = 'script',
                   transport: str = 'TEMP_URL_SIGNAL') -> dict:
    """One deployment action as Heat's metadata_software_deployments lists
    it: the config, its inputs with Heat's deploy_* ones, its outputs."""
    values = dict(inputs or {})
    values.update(deploy_server_id='server-1', deploy_action=action,
                  deploy_stack_id='stack/%s' % uuid.uuid4(),
                  deploy_resource_name=name,
                  deploy_signal_transport=transport)
    if signal_url:
        values.update(deploy_signal_id=signal_url, deploy_signal_verb={
            'TEMP_URL_SIGNAL': 'PUT', 'CFN_SIGNAL': 'POST'}[transport])
    now = time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())
    return {'id': id, 'name': name, 'group': group, 'config': config,
            'options': {}, 'creation_time': now, 'updated_time': None,
            'inputs': [{'name': k, 'value': v, 'type': 'String',
                        'description': ''} for k, v in values.items()],
            'outputs': [{'name': o, 'type': 'String', 'description': '',
                         'error_output': False} for o in outputs]}
