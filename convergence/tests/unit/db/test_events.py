"""Contract of ports.Events: the stored event log."""

import datetime

import testscenarios

from convergence.tests.unit.db import base
from db import api

load_tests = testscenarios.load_tests_apply_scenarios


def event(stack_id: str, name: str = 'r', **values) -> dict:
    return dict({'uuid': base.new_id(), 'stack_id': stack_id,
                 'resource_name': name, 'resource_action': 'CREATE',
                 'resource_status': 'COMPLETE', 'created_at': api.utcnow()},
                **values)


class TestEvents(base.DatabaseTestCase):

    def test_add_then_list_in_insertion_order(self):
        self.db.events_add([event('s', 'a', resource_properties={'p': 1}),
                            event('s', 'b'), event('other')])
        self.db.events_add([])
        listed = self.db.events_list('s')
        self.assertEqual(['a', 'b'], [e['resource_name'] for e in listed])
        self.assertEqual({'p': 1}, listed[0]['resource_properties'])

    def test_list_in_the_order_they_happened_whenever_written(self):
        earlier = event('s', 'earlier')
        later = event('s', 'later', created_at=earlier['created_at']
                      + datetime.timedelta(microseconds=1))
        self.db.events_add([later])
        self.db.events_add([earlier])     # another engine's buffer, flushed late
        self.assertEqual(['earlier', 'later'],
                         [e['resource_name'] for e in self.db.events_list('s')])

    def test_list_filters_by_resource_and_columns(self):
        self.db.events_add([
            event('s', 'a', resource_status='IN_PROGRESS'),
            event('s', 'a'), event('s', 'b', resource_status='FAILED')])
        self.assertEqual(2, len(self.db.events_list('s', resource_name='a')))
        failed = self.db.events_list('s', filters={'resource_status': 'FAILED'})
        self.assertEqual(['b'], [e['resource_name'] for e in failed])
        both = self.db.events_list('s', resource_name='a', filters={
            'resource_status': ['IN_PROGRESS', 'FAILED']})
        self.assertEqual(['IN_PROGRESS'], [e['resource_status'] for e in both])

    def test_of_stacks_interleaves_them_in_the_order_they_happened(self):
        first = event('root', 'a')
        second = event('child', 'b', created_at=first['created_at']
                       + datetime.timedelta(microseconds=1))
        third = event('root', 'c', created_at=first['created_at']
                      + datetime.timedelta(microseconds=2))
        self.db.events_add([third, second])
        self.db.events_add([first, event('other')])
        listed = self.db.events_of_stacks(['root', 'child'])
        self.assertEqual(['a', 'b', 'c'], [e['resource_name'] for e in listed])
        only_b = self.db.events_of_stacks(['root', 'child'],
                                          filters={'resource_name': ['b']})
        self.assertEqual(['child'], [e['stack_id'] for e in only_b])

    def test_trim_keeps_the_newest_of_that_stack(self):
        self.db.events_add([event('s', str(i)) for i in range(5)])
        self.db.events_add([event('other')])
        self.db.events_trim('s', 2)
        self.assertEqual(['3', '4'],
                         [e['resource_name'] for e in self.db.events_list('s')])
        self.db.events_trim('s', 10)
        self.assertEqual(2, len(self.db.events_list('s')))
        self.db.events_add([event('s', 'late', created_at=datetime.datetime(
            2000, 1, 1))])
        self.db.events_trim('s', 2)
        self.assertEqual(['3', '4'],
                         [e['resource_name'] for e in self.db.events_list('s')])
        self.assertEqual(1, len(self.db.events_list('other')))

    def test_add_with_trim_keeps_the_newest_of_that_stack(self):
        self.db.events_add([event('s', str(i)) for i in range(4)])
        self.db.events_add([event('other')])
        self.db.events_add([event('s', '4'), event('other')], trim=('s', 2))
        self.assertEqual(['3', '4'],
                         [e['resource_name'] for e in self.db.events_list('s')])
        self.assertEqual(2, len(self.db.events_list('other')))
        self.db.events_add([], trim=('s', 1))
        self.assertEqual(['4'],
                         [e['resource_name'] for e in self.db.events_list('s')])

    def test_list_of_an_unknown_stack_is_empty(self):
        self.assertEqual([], self.db.events_list('nothing'))
