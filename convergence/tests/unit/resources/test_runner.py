"""The action runner: polling, error wording, cancellation and timeouts."""

import fixtures
import testtools

from convergence.exceptions import (ActionCancelled, ResourceFailure,
                                    Timeout, UpdateReplace)
from convergence.resources.base import Resource, ResourceContext
from convergence.resources.clock import FakeClock
from convergence.resources.runner import run_action


class Scripted(Resource):
    """A plugin that needs ``checks`` polls and records what happened."""

    properties_schema = None

    def __init__(self, name, properties, context, checks=2, error=None):
        super().__init__(name, properties, context)
        self.checks, self.error = checks, error
        self.calls = []

    def handle_create(self):
        self.calls.append('handle_create')
        if self.error == 'handle':
            raise KeyError('boom')
        return 'token'

    def check_create_complete(self, token):
        self.calls.append(('check', token, self.context.clock.now()))
        if self.error == 'check':
            raise ValueError('Test Resource failed %s' % self.name)
        self.checks -= 1
        return self.checks < 0

    def handle_create_cancel(self, token):
        self.calls.append(('cancel', token))

    def poll_delay(self, token):
        return 2.5

    def handle_update(self, new_properties, prop_diff):
        self.calls.append(('update', new_properties, prop_diff))
        if self.error == 'replace':
            raise UpdateReplace(resource_name=self.name)


def scripted(clock, **kwargs):
    context = ResourceContext('st', 'sid', 'bad', 'uuid', clock=clock)
    return Scripted('bad', {'a': 1}, context, **kwargs)


class TestRunAction(testtools.TestCase):

    def test_polls_with_the_plugins_delay_until_complete(self):
        clock = FakeClock()
        res = scripted(clock, checks=2)
        run_action(res, 'CREATE', clock)
        self.assertEqual(['handle_create', ('check', 'token', 0),
                          ('check', 'token', 2.5), ('check', 'token', 5.0)],
                         res.calls)
        self.assertEqual([2.5, 2.5], clock.waits)

    def test_plugin_error_in_check_is_worded_as_heat(self):
        res = scripted(FakeClock(), error='check')
        exc = self.assertRaises(ResourceFailure, run_action, res, 'CREATE',
                                FakeClock())
        self.assertEqual('ValueError: resources.bad: Test Resource failed bad',
                         str(exc))
        self.assertEqual('ValueError', exc.kwargs['error_type'])
        self.assertEqual('Test Resource failed bad', exc.kwargs['reason'])

    def test_plugin_error_in_handle(self):
        res = scripted(FakeClock(), error='handle')
        exc = self.assertRaises(ResourceFailure, run_action, res, 'CREATE',
                                FakeClock())
        self.assertEqual("KeyError: resources.bad: 'boom'", str(exc))

    def test_cancel_calls_the_hook_then_reraises(self):
        clock = FakeClock(cancel_at=3)
        res = scripted(clock, checks=10)
        self.assertRaises(ActionCancelled, run_action, res, 'CREATE', clock)
        self.assertEqual(('cancel', 'token'), res.calls[-1])
        self.assertEqual(3, clock.now())

    def test_timeout_calls_the_hook_then_reraises(self):
        clock = FakeClock(deadline=4)
        res = scripted(clock, checks=10)
        self.assertRaises(Timeout, run_action, res, 'CREATE', clock)
        self.assertEqual(('cancel', 'token'), res.calls[-1])

    def test_failing_cancel_hook_does_not_hide_the_cancel(self):
        clock = FakeClock(cancel_at=1)
        res = scripted(clock, checks=10)

        def broken(token):
            raise RuntimeError('cleanup failed')

        log = self.useFixture(fixtures.FakeLogger())
        res.handle_create_cancel = broken
        self.assertRaises(ActionCancelled, run_action, res, 'CREATE', clock)
        self.assertIn('Cancel hook of bad failed', log.output)

    def test_update_passes_diff_and_adopts_new_properties(self):
        res = scripted(FakeClock())
        run_action(res, 'UPDATE', FakeClock(), new_properties={'a': 2})
        self.assertEqual([('update', {'a': 2}, {'a': 2})], res.calls)
        self.assertEqual({'a': 2}, res.properties)

    def test_update_replace_passes_through(self):
        res = scripted(FakeClock(), error='replace')
        self.assertRaises(UpdateReplace, run_action, res, 'UPDATE',
                          FakeClock(), new_properties={'a': 2})
        self.assertEqual({'a': 1}, res.properties)

    def test_missing_handlers_complete_at_once(self):
        res = scripted(FakeClock())
        run_action(res, 'DELETE', FakeClock())
        run_action(res, 'CHECK', FakeClock())
        run_action(res, 'SUSPEND', FakeClock())
        run_action(res, 'RESUME', FakeClock())
        self.assertEqual([], res.calls)

    def test_unknown_action(self):
        self.assertRaises(ValueError, run_action, scripted(FakeClock()),
                          'MIGRATE', FakeClock())


class Resumable(Scripted):
    """Scripted, whose interrupted create waits for what it made."""

    def resume_create(self):
        self.calls.append('resume_create')
        return 'resumed'


class Marking(Resumable):
    """Resumable, whose creates mark what they make: ``made`` is what
    the cloud holds so marked."""

    made = None

    def find_unrecorded_create(self):
        self.calls.append('find_unrecorded_create')
        return self.made


class TestResumedCreate(testtools.TestCase):

    def test_a_resumed_create_takes_over_what_it_made_unheard(self):
        context = ResourceContext('st', 'sid', 'r', 'uuid', clock=FakeClock())
        res = Marking('r', {}, context, checks=0)
        res.made = 'made-unheard'
        run_action(res, 'CREATE', FakeClock(), resuming=True)
        self.assertEqual(['find_unrecorded_create', 'resume_create',
                          ('check', 'resumed', 0)], res.calls)
        self.assertEqual('made-unheard', res.resource_id)

    def test_a_resumed_create_that_made_nothing_makes_it(self):
        context = ResourceContext('st', 'sid', 'r', 'uuid', clock=FakeClock())
        res = Marking('r', {}, context, checks=0)
        run_action(res, 'CREATE', FakeClock(), resuming=True)
        self.assertEqual(['find_unrecorded_create', 'handle_create',
                          ('check', 'token', 0)], res.calls)

    def test_a_first_create_does_not_look(self):
        context = ResourceContext('st', 'sid', 'r', 'uuid', clock=FakeClock())
        res = Marking('r', {}, context, checks=0)
        res.made = 'someone-elses'
        run_action(res, 'CREATE', FakeClock())
        self.assertEqual(['handle_create', ('check', 'token', 0)], res.calls)
        self.assertTrue(Marking.finds_unrecorded_creates())
        self.assertFalse(Resumable.finds_unrecorded_creates())

    def test_a_recorded_id_resumes_instead_of_making_it_again(self):
        context = ResourceContext('st', 'sid', 'r', 'uuid', clock=FakeClock(),
                                  resource_id='made-before')
        res = Resumable('r', {}, context, checks=0)
        run_action(res, 'CREATE', FakeClock())
        self.assertEqual(['resume_create', ('check', 'resumed', 0)],
                         res.calls)

    def test_without_a_recorded_id_the_create_makes_it(self):
        context = ResourceContext('st', 'sid', 'r', 'uuid', clock=FakeClock())
        res = Resumable('r', {}, context, checks=0)
        run_action(res, 'CREATE', FakeClock())
        self.assertEqual(['handle_create', ('check', 'token', 0)], res.calls)

    def test_a_type_that_cannot_resume_makes_it(self):
        context = ResourceContext('st', 'sid', 'r', 'uuid', clock=FakeClock(),
                                  resource_id='made-before')
        res = Scripted('r', {}, context, checks=0)
        run_action(res, 'CREATE', FakeClock())
        self.assertFalse(Scripted.resumes_create())
        self.assertTrue(Resumable.resumes_create())
        self.assertEqual('handle_create', res.calls[0])
