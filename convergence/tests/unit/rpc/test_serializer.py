"""The JSON serializer: entities become primitives, contexts become dicts."""

import datetime

import testtools

from convergence.rpc import context
from convergence.rpc import serializer


class SerializerTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.ser = serializer.RequestContextSerializer()

    def test_entity_becomes_json_primitives(self):
        when = datetime.datetime(2026, 1, 2, 3, 4, 5)
        out = self.ser.serialize_entity(None, {'at': when, 'ids': {1},
                                               'n': (1, 2)})
        self.assertEqual({'at': '2026-01-02T03:04:05.000000', 'ids': [1],
                          'n': [1, 2]}, out)

    def test_context_round_trip(self):
        ctx = context.RequestContext(project_id='t', request_id='req-2')
        wire = self.ser.serialize_context(ctx)
        self.assertIsInstance(wire, dict)
        back = self.ser.deserialize_context(dict(wire, trace_info={}))
        self.assertIsInstance(back, context.RequestContext)
        self.assertEqual(('t', 'req-2'), (back.project_id, back.request_id))

    def test_dict_context_passes_through(self):
        self.assertEqual({'project_id': 'p'},
                         self.ser.serialize_context({'project_id': 'p'}))

    def test_worker_contexts_stay_dicts(self):
        worker = serializer.WorkerSerializer()
        wire = worker.serialize_context(context.RequestContext(is_admin=True))
        self.assertIs(wire, worker.deserialize_context(wire))
        self.assertTrue(wire['is_admin'])

    def test_plain_json_is_kept_and_the_rest_converted_inside_it(self):
        when = datetime.datetime(2026, 1, 2, 3, 4, 5)
        payload = {'a': [1, 2.5, None, True, {'b': 'c'}],
                   'nested': {'at': when, 'ids': (1, 2), 'set': {3}}}
        self.assertEqual(
            {'a': [1, 2.5, None, True, {'b': 'c'}],
             'nested': {'at': '2026-01-02T03:04:05.000000', 'ids': [1, 2],
                        'set': [3]}},
            self.ser.serialize_entity(None, payload))
