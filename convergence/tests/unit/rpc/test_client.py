"""EngineClient/WorkerClient over oslo.messaging's fake:// transport.

The spec table is heat-engine's: the keyword arguments each method of Heat's
``heat/rpc/client.py`` sends.  A tiny RPC server records what arrives.
"""

import threading

from oslo_config import cfg
import oslo_messaging
from oslo_messaging import conffixture
import testtools

from convergence import exceptions
from convergence.rpc import client
from convergence.rpc import context
from convergence.rpc.serializer import RequestContextSerializer

IDENT = {'tenant': 't', 'stack_name': 's', 'stack_id': 'i', 'path': ''}
CREATE_ARGS = dict(stack_name='s', template={'heat_template_version': 'x'},
                   params={'parameters': {}}, files={}, args={})
UPDATE_ARGS = dict(stack_identity=IDENT, template=None,
                   params={'parameters': {}}, files={}, args={})

# method -> (positional/keyword arguments to pass, kwarg names heat sends)
SPEC = {
    'identify_stack': ({'stack_name': 's'}, {'stack_name'}),
    'list_stacks': ({}, {'limit', 'marker', 'sort_keys', 'sort_dir',
                         'filters', 'show_deleted', 'show_nested',
                         'show_hidden', 'tags', 'tags_any', 'not_tags',
                         'not_tags_any'}),
    'count_stacks': ({}, {'filters', 'show_deleted', 'show_nested',
                          'show_hidden', 'tags', 'tags_any', 'not_tags',
                          'not_tags_any'}),
    'show_stack': ({'stack_identity': IDENT},
                   {'stack_identity', 'resolve_outputs'}),
    'create_stack': (CREATE_ARGS, {
        'stack_name', 'template', 'params', 'files', 'environment_files',
        'files_container', 'args', 'owner_id', 'nested_depth',
        'user_creds_id', 'stack_user_project_id', 'parent_resource_name',
        'template_id'}),
    'update_stack': (UPDATE_ARGS, {
        'stack_identity', 'template', 'params', 'files', 'environment_files',
        'files_container', 'args', 'template_id'}),
    'preview_update_stack': (UPDATE_ARGS, {
        'stack_identity', 'template', 'params', 'files', 'environment_files',
        'files_container', 'args'}),
    'delete_stack': ({'stack_identity': IDENT}, {'stack_identity'}),
    'stack_cancel_update': ({'stack_identity': IDENT},
                            {'stack_identity', 'cancel_with_rollback'}),
    'validate_template': ({'template': {}}, {
        'template', 'params', 'files', 'show_nested', 'environment_files',
        'files_container', 'ignorable_errors'}),
    'get_template': ({'stack_identity': IDENT}, {'stack_identity'}),
    'get_environment': ({'stack_identity': IDENT}, {'stack_identity'}),
    'get_files': ({'stack_identity': IDENT}, {'stack_identity'}),
    'list_stack_resources': ({'stack_identity': IDENT}, {
        'stack_identity', 'nested_depth', 'with_detail', 'filters'}),
    'describe_stack_resource': (
        {'stack_identity': IDENT, 'resource_name': 'r'},
        {'stack_identity', 'resource_name', 'with_attr'}),
    'resource_signal': (
        {'stack_identity': IDENT, 'resource_name': 'r', 'details': {}},
        {'stack_identity', 'resource_name', 'details', 'sync_call'}),
    'list_events': ({'stack_identity': IDENT}, {
        'stack_identity', 'filters', 'limit', 'marker', 'sort_keys',
        'sort_dir', 'nested_depth'}),
    'list_outputs': ({'stack_identity': IDENT}, {'stack_identity'}),
    'show_output': ({'stack_identity': IDENT, 'output_key': 'o'},
                    {'stack_identity', 'output_key'}),
    'list_resource_types': ({}, {'support_status', 'type_name',
                                 'heat_version', 'with_description'}),
    'resource_schema': ({'type_name': 'T'},
                        {'type_name', 'with_description'}),
    'generate_template': ({'type_name': 'T'},
                          {'type_name', 'template_type'}),
    'list_template_versions': ({}, set()),
    'list_template_functions': ({'template_version': 'v'},
                                {'template_version', 'with_condition'}),
    'stack_suspend': ({'stack_identity': IDENT}, {'stack_identity'}),
    'stack_snapshot': ({'stack_identity': IDENT, 'name': 'n'},
                       {'stack_identity', 'name'}),
    'show_snapshot': ({'stack_identity': IDENT, 'snapshot_id': 'i'},
                      {'stack_identity', 'snapshot_id'}),
    'delete_snapshot': ({'stack_identity': IDENT, 'snapshot_id': 'i'},
                        {'stack_identity', 'snapshot_id'}),
    'stack_list_snapshots': ({'stack_identity': IDENT}, {'stack_identity'}),
    'abandon_stack': ({'stack_identity': IDENT}, {'stack_identity'}),
    'export_stack': ({'stack_identity': IDENT}, {'stack_identity'}),
    'stack_restore': ({'stack_identity': IDENT, 'snapshot_id': 'i'},
                      {'stack_identity', 'snapshot_id'}),
    'stack_resume': ({'stack_identity': IDENT}, {'stack_identity'}),
    'stack_check': ({'stack_identity': IDENT}, {'stack_identity'}),
}


class RecordingEndpoint:
    """Answers every engine method with the kwargs it received."""

    target = oslo_messaging.Target(version=client.API_VERSION)

    def __init__(self):
        self.received = []
        self.event = threading.Event()

    def __getattr__(self, method):
        if method.startswith(('_', 'oslo_')):
            raise AttributeError(method)

        def handler(ctxt, **kwargs):
            self.received.append((method, ctxt, kwargs))
            self.event.set()
            if kwargs.get('stack_name') == 'missing':
                raise exceptions.EntityNotFound(entity='Stack',
                                                name='missing')
            if kwargs.get('stack_name') == 'boom':
                raise RuntimeError('secret detail')
            return {'method': method, 'kwargs': sorted(kwargs)}
        return handler


class RpcFixture(testtools.TestCase):

    def setUp(self):
        super().setUp()
        conf = cfg.ConfigOpts()
        # registers oslo.messaging's options (tracing…) on a private conf
        self.useFixture(conffixture.ConfFixture(conf))
        self.transport = client.get_rpc_transport(conf, url='fake:/')
        self.addCleanup(self.transport.cleanup)
        self.ctx = context.RequestContext(project_id='t', user_id='u',
                                          request_id='req-7')

    def serve(self, topic, server='engine-1'):
        endpoint = RecordingEndpoint()
        rpc_server = oslo_messaging.get_rpc_server(
            self.transport, oslo_messaging.Target(topic=topic, server=server),
            [endpoint], executor='threading',
            serializer=RequestContextSerializer())
        rpc_server.start()

        def stop():
            rpc_server.stop()
            rpc_server.wait()
        self.addCleanup(stop)
        return endpoint


class EngineClientTest(RpcFixture):

    def setUp(self):
        super().setUp()
        self.endpoint = self.serve(client.ENGINE_TOPIC)
        self.engine = client.EngineClient(self.transport, timeout=10)

    def test_every_method_sends_heats_keyword_arguments(self):
        for method, (kwargs, expected) in SPEC.items():
            result = getattr(self.engine, method)(self.ctx, **kwargs)
            self.assertEqual({'method': method, 'kwargs': sorted(expected)},
                             result, method)

    def test_context_arrives_as_request_context(self):
        self.engine.identify_stack(self.ctx, 's')
        _, ctxt, _ = self.endpoint.received[-1]
        self.assertIsInstance(ctxt, context.RequestContext)
        self.assertEqual(('t', 'u', 'req-7'),
                         (ctxt.project_id, ctxt.user_id, ctxt.request_id))

    def test_convergence_error_is_re_raised_as_its_class(self):
        err = self.assertRaises(exceptions.EntityNotFound,
                                self.engine.identify_stack, self.ctx,
                                'missing')
        self.assertEqual('The Stack (missing) could not be found.',
                         err.message)
        self.assertEqual({'entity': 'Stack', 'name': 'missing'}, err.kwargs)
        self.assertEqual(404, err.http_status)

    def test_other_errors_are_raised_too(self):
        # fake:// hands the exception object over; real drivers send it
        # through serialization (see test_remote_errors).
        self.assertRaises(RuntimeError, self.engine.identify_stack,
                          self.ctx, 'boom')


class WorkerClientTest(RpcFixture):

    def test_check_resource_is_cast_to_any_worker(self):
        endpoint = self.serve(client.WORKER_TOPIC)
        client.WorkerClient(self.transport).check_resource(
            self.ctx, 42, 'trav-1', {'a': 1}, True)
        self.assertTrue(endpoint.event.wait(10))
        method, _, kwargs = endpoint.received[0]
        self.assertEqual('check_resource', method)
        self.assertEqual({'resource_id': 42, 'traversal_id': 'trav-1',
                          'data': {'a': 1}, 'is_update': True}, kwargs)

    def test_cancel_goes_to_the_named_engine_only(self):
        other = self.serve(client.WORKER_TOPIC, server='engine-2')
        target = self.serve(client.WORKER_TOPIC, server='engine-3')
        client.WorkerClient(self.transport).cancel_check_resource(
            self.ctx, 'stack-1', 'engine-3')
        self.assertTrue(target.event.wait(10))
        self.assertEqual([('cancel_check_resource', {'stack_id': 'stack-1'})],
                         [(m, kw) for m, _, kw in target.received])
        self.assertEqual([], other.received)
