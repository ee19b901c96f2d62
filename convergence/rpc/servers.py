"""The transport and the RPC servers of one engine process.

Two servers per engine process: the engine API on topic ``engine`` (any
engine answers a call) and the worker on topic ``engine_worker`` whose
server name is this process's engine id (``check_resource`` casts go to any
engine; ``cancel_check_resource`` to one).
"""

import functools

import oslo_messaging

from convergence import exceptions
from convergence.rpc import client as rpc_client
from convergence.rpc import heat_errors
from convergence.rpc import serializer as rpc_serializer


def engine_server(conf, transport, endpoint, engine_id: str):
    target = oslo_messaging.Target(topic=rpc_client.ENGINE_TOPIC,
                                   server='%s-%s' % (conf.host, engine_id))
    return _server(conf, transport, target, UserErrorsExpected(endpoint))


def worker_server(conf, transport, endpoint, engine_id: str):
    target = oslo_messaging.Target(topic=rpc_client.WORKER_TOPIC, server=engine_id)
    return _server(conf, transport, target, endpoint,
                   rpc_serializer.WorkerSerializer())


def _server(conf, transport, target, endpoint, serializer=None):
    return oslo_messaging.get_rpc_server(
        transport, target, [endpoint], executor=conf.executor,
        serializer=serializer or rpc_serializer.RequestContextSerializer(),
        access_policy=oslo_messaging.DefaultRPCAccessPolicy)


class UserErrorsExpected:
    """An endpoint whose ConvergenceErrors leave as heat-engine's, expected.

    heat-engine decorates its API methods with
    ``oslo_messaging.expected_exceptions`` so that a user's mistake (a
    missing stack, a bad template) goes back to the caller without the RPC
    server logging it as its own failure, traceback and all.  This does the
    same for every public method of ``endpoint``, and sends each
    ConvergenceError under Heat's class name and kwargs (heat_errors), so a
    stock heat-api answers it with heat-engine's status and body.  The
    heat-engine methods ``endpoint`` lacks are refused as NotSupported.
    """

    def __init__(self, endpoint):
        self._endpoint = endpoint
        self.target = getattr(endpoint, 'target', None)

    def __getattr__(self, name):
        try:
            attr = getattr(self._endpoint, name)
        except AttributeError:
            if name not in rpc_client.HEAT_ENGINE_METHODS:
                raise
            attr = functools.partial(_not_offered, name)
        if name.startswith('_') or not callable(attr):
            return attr
        return _as_heat_errors(attr)


def _not_offered(method: str, *args, **kwargs):
    raise exceptions.NotSupported(feature=method)


def _as_heat_errors(method):
    @oslo_messaging.expected_exceptions(heat_errors.HeatWireError)
    @functools.wraps(method)
    def call(*args, **kwargs):
        try:
            return method(*args, **kwargs)
        except exceptions.ConvergenceError as exc:
            raise heat_errors.to_wire(exc) from exc
    return call


class RpcMessenger:
    """The Messenger a Runtime uses in production: casts over oslo.messaging."""

    def __init__(self, transport):
        self._client = rpc_client.WorkerClient(transport)
        # A node acts as the engine itself, not as the user who started
        # the traversal (WorkerSerializer): every cast carries this same
        # small context, not a full one encoded and decoded each time.
        self._context = {'is_admin': True}

    def cast_check_resource(self, resource_id, traversal_id, data, is_update):
        self._client.check_resource(self._context, resource_id, traversal_id,
                                    data, is_update)

    def cancel_remote(self, stack_id, engine_ids):
        for engine_id in engine_ids:
            self._client.cancel_check_resource(self._context, stack_id,
                                               engine_id)
