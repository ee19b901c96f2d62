"""The event log: when an event happened, whenever its batch is written."""

import datetime

import testtools

from convergence import events
from db import api as db_api

ROW = {'name': 'r', 'type': 'OS::Heat::None'}


class EventTimesTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.db = db_api.Database('sqlite://')
        self.db.create_schema()
        self.buffered = events.EventLog(self.db, buffered=True)
        # another engine, whose events reach the database first
        self.other = events.EventLog(self.db)

    def listed(self) -> list[str]:
        return ['%s_%s' % (e['resource_action'], e['resource_status'])
                for e in self.db.events_list('s')]

    def test_a_buffered_event_keeps_the_time_it_was_recorded(self):
        """Given an end buffered here, when another engine records a start
        and this buffer is flushed only afterwards, then the end lists
        first."""
        self.buffered.resource_event('s', ROW, 'CREATE', 'COMPLETE', 'done')
        self.other.resource_event('s', ROW, 'UPDATE', 'IN_PROGRESS', 'go')
        self.buffered.flush()
        self.assertEqual(['CREATE_COMPLETE', 'UPDATE_IN_PROGRESS'],
                         self.listed())

    def test_an_event_recorded_late_lists_when_it_happened(self):
        """Given an end whose time was taken before another engine's start,
        when it is recorded only after that start, then it lists first."""
        # strictly earlier, however coarse the clock
        ended = events.now() - datetime.timedelta(microseconds=1)
        self.other.resource_event('s', ROW, 'DELETE', 'IN_PROGRESS', 'go')
        self.buffered.resource_event('s', ROW, 'UPDATE', 'COMPLETE', 'done',
                                     happened_at=ended)
        self.buffered.flush()
        self.assertEqual(['UPDATE_COMPLETE', 'DELETE_IN_PROGRESS'],
                         self.listed())

    def test_the_time_is_stored_as_given(self):
        ended = datetime.datetime(2026, 1, 2, 3, 4, 5, 678901)
        self.buffered.resource_event('s', ROW, 'UPDATE', 'COMPLETE', 'done',
                                     happened_at=ended)
        self.buffered.flush()
        self.assertEqual([ended],
                         [e['created_at'] for e in self.db.events_list('s')])


class StackEventsTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.db = db_api.Database('sqlite://')
        self.db.create_schema()
        self.log = events.EventLog(self.db, buffered=True)

    def listed(self, stack_id: str) -> list[str]:
        return ['%s_%s' % (e['resource_action'], e['resource_status'])
                for e in self.db.events_list(stack_id)]

    def test_a_verdict_comes_after_the_buffer_in_one_write(self):
        root = {'id': 's', 'name': 'root', 'owner_id': None}
        self.log.stack_event(root, 'CREATE', 'IN_PROGRESS', 'go')
        self.assertEqual(['CREATE_IN_PROGRESS'], self.listed('s'))
        self.log.resource_event('s', ROW, 'CREATE', 'COMPLETE', 'done')
        self.log.stack_event(root, 'CREATE', 'COMPLETE', 'done')
        self.assertEqual(['CREATE_IN_PROGRESS', 'CREATE_COMPLETE',
                          'CREATE_COMPLETE'], self.listed('s'))

    def test_a_nested_stacks_start_goes_with_the_buffer(self):
        child = {'id': 'c', 'name': 'child', 'owner_id': 's'}
        self.log.stack_event(child, 'UPDATE', 'IN_PROGRESS', 'go')
        self.assertEqual([], self.listed('c'))
        self.log.resource_event('c', ROW, 'UPDATE', 'COMPLETE', 'done')
        self.log.stack_event(child, 'UPDATE', 'COMPLETE', 'done')
        self.assertEqual(['UPDATE_IN_PROGRESS', 'UPDATE_COMPLETE',
                          'UPDATE_COMPLETE'], self.listed('c'))
