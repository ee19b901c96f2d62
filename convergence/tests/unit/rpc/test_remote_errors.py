"""ConvergenceErrors survive oslo.messaging's remote-exception round trip.

Real drivers serialize a failure as ``{class, module, message, args,
kwargs}`` and rebuild it with ``klass(*args, **kwargs)`` when the module is
allowed; the fake driver skips that, so it is exercised here directly.
"""

import inspect
import re
import sys

from oslo_messaging._drivers import common as rpc_common
import testtools

from convergence import exceptions
from convergence.rpc import client


def _error_classes():
    return [cls for _, cls in inspect.getmembers(exceptions, inspect.isclass)
            if issubclass(cls, exceptions.ConvergenceError)]


def _sample(cls):
    """An instance built the way engine code would: from msg_fmt's keys."""
    keys = re.findall(r'%\((\w+)\)s', cls.msg_fmt)
    kwargs = {k: 'v-%s' % k for k in keys if k != 'message'}
    if 'message' in keys:
        return cls('a message', **kwargs)
    return cls(**kwargs)


def _round_trip(error):
    try:
        raise error
    except Exception:
        data = rpc_common.serialize_remote_exception(sys.exc_info())
    return rpc_common.deserialize_remote_exception(
        data, client.ALLOWED_REMOTE_EXMODS)


class RemoteErrorTest(testtools.TestCase):

    def test_every_convergence_error_keeps_class_and_message(self):
        for cls in _error_classes():
            original = _sample(cls)
            remote = _round_trip(original)
            self.assertIsInstance(remote, cls, cls.__name__)
            self.assertEqual(original.message, remote.message, cls.__name__)
            self.assertEqual(original.kwargs, remote.kwargs, cls.__name__)
            self.assertEqual(cls.__name__ + '_Remote',
                             type(remote).__name__)

    def test_path_of_a_validation_error_is_kept_in_the_message(self):
        remote = _round_trip(exceptions.StackValidationFailed(
            'bad value', path=['resources', 'r1']))
        self.assertEqual('resources.r1: bad value', remote.message)

    def test_unlisted_module_becomes_remote_error(self):
        import oslo_messaging
        remote = _round_trip(oslo_messaging.NoSuchMethod('frob'))
        self.assertIsInstance(remote, oslo_messaging.RemoteError)
        self.assertEqual('NoSuchMethod', remote.exc_type)
