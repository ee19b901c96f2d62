"""ConvergenceErrors cross the bus as heat-engine's errors.

Real drivers serialize a failure as ``{class, module, message, args,
kwargs}``; a stock heat-api rebuilds ``heat.common.exception.<class>`` from
it, our API reads the name back.  The fake driver skips serialization, so
the round trip is exercised here directly, through the endpoint wrapper the
engine serves with.
"""

import inspect
import json
import os
import re
import subprocess
import sys

import oslo_messaging
from oslo_messaging._drivers import common as rpc_common
import testtools
import webob

from convergence.api import faults
from convergence import exceptions
from convergence.rpc import client
from convergence.rpc import heat_errors
from convergence.rpc import servers


def error_classes():
    return [cls for _, cls in inspect.getmembers(exceptions, inspect.isclass)
            if issubclass(cls, exceptions.ConvergenceError)]


def sample(cls):
    """An instance built the way engine code would: from msg_fmt's keys."""
    keys = re.findall(r'%\((\w+)\)s', cls.msg_fmt)
    return cls(**{k: 'v-%s' % k for k in keys})


class _Endpoint:
    def __init__(self, error):
        self.error = error

    def show_stack(self, ctxt):
        raise self.error


def wire_data(error) -> dict:
    """What an engine sends when one of its API methods raises ``error``."""
    method = servers.UserErrorsExpected(_Endpoint(error)).show_stack
    try:
        method({})
    except oslo_messaging.ExpectedException as expected:
        return json.loads(rpc_common.serialize_remote_exception(
            expected.exc_info))
    raise AssertionError('%r was not expected' % error)


def our_api_reads(error):
    data = json.dumps(wire_data(error))
    remote = rpc_common.deserialize_remote_exception(
        data, client.ALLOWED_REMOTE_EXMODS)
    return heat_errors.from_remote(remote)


class WireFormTest(testtools.TestCase):

    def test_every_error_goes_as_a_heat_class_without_args(self):
        for cls in error_classes():
            data = wire_data(sample(cls))
            self.assertEqual(heat_errors.HEAT_MODULE, data['module'],
                             cls.__name__)
            self.assertEqual([], data['args'], cls.__name__)
            self.assertEqual(sample(cls).message, data['message'])

    def test_heat_kwargs_of_a_missing_stack(self):
        data = wire_data(exceptions.EntityNotFound(entity='Stack',
                                                   name='s1'))
        self.assertEqual(('EntityNotFound', {'entity': 'Stack', 'name': 's1'}),
                         (data['class'], data['kwargs']))

    def test_a_validation_error_carries_its_whole_text_as_message(self):
        data = wire_data(exceptions.StackValidationFailed(
            'bad value', path=['resources', 'r1']))
        self.assertEqual(('StackValidationFailed',
                          {'error': '', 'path': '',
                           'message': 'resources.r1: bad value'}),
                         (data['class'], data['kwargs']))

    def test_message_style_classes_send_message(self):
        data = wire_data(exceptions.RequestLimitExceeded(message='too big'))
        self.assertEqual(('RequestLimitExceeded', {'message': 'too big'}),
                         (data['class'], data['kwargs']))

    def test_a_free_text_not_found_escapes_percent(self):
        data = wire_data(exceptions.NotFound(message='100% gone'))
        self.assertEqual(('NotFound', {'msg_fmt': '100%% gone'}),
                         (data['class'], data['kwargs']))

    def test_text_that_kwargs_cannot_rebuild_goes_as_a_carrier(self):
        data = wire_data(exceptions.NotSupported('Frobbing is off.'))
        self.assertEqual(('StackValidationFailed', 'Frobbing is off.'),
                         (data['class'], data['kwargs']['message']))
        data = wire_data(exceptions.EntityNotFound('no such thing'))
        self.assertEqual(('NotFound', {'msg_fmt': 'no such thing'}),
                         (data['class'], data['kwargs']))

    def test_engine_internal_errors_go_as_heats_error(self):
        data = wire_data(exceptions.Timeout())
        self.assertEqual(('Error', {'message': 'Timed out'}),
                         (data['class'], data['kwargs']))

    def test_heat_engine_methods_we_lack_answer_not_supported(self):
        method = servers.UserErrorsExpected(_Endpoint(None)).stack_snapshot
        expected = self.assertRaises(oslo_messaging.ExpectedException,
                                     method, {}, stack_identity={}, name='s')
        error = expected.exc_info[1]
        self.assertEqual(('NotSupported', {'feature': 'stack_snapshot'}),
                         (type(error).__name__, error.kwargs))

    def test_other_unknown_methods_stay_unknown(self):
        endpoint = servers.UserErrorsExpected(_Endpoint(None))
        self.assertFalse(hasattr(endpoint, 'frobnicate'))

    def test_errors_that_are_not_ours_are_not_expected(self):
        method = servers.UserErrorsExpected(
            _Endpoint(RuntimeError('bug'))).show_stack
        self.assertRaises(RuntimeError, method, {})


class OurApiReadsBackTest(testtools.TestCase):

    def test_status_and_message_survive_for_every_class(self):
        for cls in error_classes():
            original = sample(cls)
            remote = our_api_reads(original)
            self.assertIsInstance(remote, exceptions.ConvergenceError,
                                  cls.__name__)
            self.assertEqual(original.message, remote.message, cls.__name__)
            # engine-internal errors never reach an API on purpose: 500
            internal = wire_data(original)['class'] == 'Error'
            self.assertEqual(500 if internal else original.http_status,
                             remote.http_status, cls.__name__)

    def test_type_name_is_heats(self):
        remote = our_api_reads(exceptions.ResourceTypeNotFound(type_name='X'))
        self.assertEqual('StackValidationFailed', remote.error_type)
        remote = our_api_reads(exceptions.StackExists(stack_name='s'))
        self.assertIs(exceptions.StackExists, type(remote))

    def test_unlisted_module_stays_a_remote_error(self):
        data = json.dumps({'class': 'NoSuchMethod', 'module': 'oslo_messaging',
                           'message': 'frob', 'tb': [], 'args': [],
                           'kwargs': {}})
        remote = heat_errors.from_remote(rpc_common.deserialize_remote_exception(
            data, client.ALLOWED_REMOTE_EXMODS))
        self.assertIsInstance(remote, oslo_messaging.RemoteError)
        self.assertEqual('NoSuchMethod', remote.exc_type)

    def test_errors_of_earlier_engines_are_still_understood(self):
        try:
            raise exceptions.StackExists(stack_name='s')
        except exceptions.StackExists:
            data = rpc_common.serialize_remote_exception(sys.exc_info())
        remote = rpc_common.deserialize_remote_exception(
            data, client.ALLOWED_REMOTE_EXMODS)
        self.assertIsInstance(remote, exceptions.StackExists)
        self.assertEqual('The Stack (s) already exists.', remote.message)


HEAT_VENV_PYTHON = os.path.join(
    os.environ.get('ACCEPT_ANCHORS', os.path.expanduser(
        '~/.cache/convergence-acceptance')), 'heat-ref-venv', 'bin', 'python')

# Run by Heat's own python: each wire message through heat-api's fault
# middleware, as a stock heat-api answers it.
_HEAT_API_SIDE = '''
import json, sys
from oslo_messaging._drivers import common
from oslo_config import cfg
from oslo_log import log
from heat.api.middleware import fault
log.register_options(cfg.CONF)
cfg.CONF([], project='heat')
wrapper = fault.FaultWrapper(None)
bodies = []
for data in json.load(sys.stdin):
    error = common.deserialize_remote_exception(
        json.dumps(data), ['heat.common.exception'])
    bodies.append(wrapper._error(error))
json.dump(bodies, sys.stdout)
'''


# Heat classes missing from heat-api's error_map: heat-api answers them 500
# (for heat-engine's errors as for ours), convergence-api 400.
HEAT_API_500 = ('InvalidMergeStrategyForParam',
                'ConflictingMergeStrategyForParam', 'InvalidRestrictedAction',
                'InvalidTemplateAttribute')


@testtools.skipUnless(os.path.exists(HEAT_VENV_PYTHON),
                      'needs the Heat venv (openstack-heat 27.0.1) at %s'
                      % HEAT_VENV_PYTHON)
class StockHeatApiAnswersAlikeTest(testtools.TestCase):
    """Heat's FaultWrapper and ours give one status and body per error."""

    def heat_api_bodies(self, errors) -> list:
        result = subprocess.run(
            [HEAT_VENV_PYTHON, '-c', _HEAT_API_SIDE], capture_output=True,
            text=True, timeout=120,
            input=json.dumps([wire_data(e) for e in errors]))
        self.assertEqual(0, result.returncode, result.stderr)
        return json.loads(result.stdout)

    def test_every_error_class(self):
        errors = [sample(cls) for cls in error_classes()]
        errors += [exceptions.StackValidationFailed('x', path=['a', 0]),
                   exceptions.NotFound(message='50% there'),
                   exceptions.NotSupported('Frobbing is off.')]
        for error, heat_body in zip(errors, self.heat_api_bodies(errors)):
            response = faults.fault_response(webob.Request.blank('/'),
                                             our_api_reads(error))
            ours = json.loads(response.body)
            name = type(error).__name__
            if name in HEAT_API_500:
                self.assertEqual((500, 400), (heat_body['code'], ours['code']))
                self.assertEqual(heat_body['error'], ours['error'], name)
                continue
            self.assertEqual(heat_body, ours, name)
            self.assertEqual(heat_body['code'], response.status_int)
