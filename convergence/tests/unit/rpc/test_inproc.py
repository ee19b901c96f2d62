"""The inproc:// driver through oslo.messaging's own clients and servers."""

import gc
import threading

from oslo_config import cfg
import oslo_messaging
from oslo_messaging import conffixture
import oslo_messaging.opts
import testtools

from convergence import exceptions
from convergence.rpc import client
from convergence.rpc import inproc

PATIENCE = 10


def register_messaging_opts(conf: cfg.ConfigOpts) -> None:
    """oslo.messaging's options (executor_thread_pool_size…) on ``conf``.

    Not through convergence.cmd, whose import monkey-patches the process.
    """
    for group, opts in oslo_messaging.opts.list_opts():
        conf.register_opts(opts, group=group)


class Endpoint:
    """Records what it is sent; ``wait_for`` waits until it got enough."""

    target = oslo_messaging.Target(version='1.0')

    def __init__(self, name: str, log: list, arrived: threading.Condition):
        self.name = name
        self.log = log
        self.arrived = arrived

    def note(self, ctxt, value):
        with self.arrived:
            self.log.append((self.name, value))
            self.arrived.notify_all()

    def step(self, ctxt, traversal_id, i):
        self.note(ctxt, (traversal_id, i))

    def echo(self, ctxt, value):
        value['seen_by'] = self.name
        return value

    def missing(self, ctxt, name):
        raise exceptions.EntityNotFound(entity='Stack', name=name)


class InProcTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.conf = cfg.ConfigOpts()
        self.useFixture(conffixture.ConfFixture(self.conf))
        register_messaging_opts(self.conf)
        self.addCleanup(inproc.reset)
        self.log = []
        self.arrived = threading.Condition()

    def transport(self, url='inproc://'):
        transport = client.get_rpc_transport(self.conf, url=url)
        self.addCleanup(transport.cleanup)
        return transport

    def serve(self, transport, name, topic='t', server=None, pool_size=8):
        self.conf.set_override('executor_thread_pool_size', pool_size)
        endpoint = Endpoint(name, self.log, self.arrived)
        rpc_server = oslo_messaging.get_rpc_server(
            transport, oslo_messaging.Target(topic=topic,
                                             server=server or name),
            [endpoint], executor='threading')
        rpc_server.start()

        def stop():
            rpc_server.stop()
            rpc_server.wait()
        self.addCleanup(stop)
        return rpc_server

    def client(self, transport, topic='t', **kwargs):
        return oslo_messaging.get_rpc_client(
            transport, oslo_messaging.Target(topic=topic, **kwargs))

    def wait_for(self, count: int) -> list:
        with self.arrived:
            if not self.arrived.wait_for(lambda: len(self.log) >= count,
                                         PATIENCE):
                self.fail('only %s arrived' % self.log)
            return list(self.log)

    def test_the_url_scheme_selects_this_driver(self):
        transport = self.transport()
        self.assertIsInstance(transport._driver, inproc.InProcDriver)

    def test_a_call_returns_a_copy_of_the_answer(self):
        transport = self.transport()
        self.serve(transport, 'a')
        sent = {'n': 1}
        answer = self.client(transport).call({}, 'echo', value=sent)
        self.assertEqual({'n': 1, 'seen_by': 'a'}, answer)
        self.assertEqual({'n': 1}, sent)

    def test_a_failed_call_raises_the_remote_error_of_its_class(self):
        transport = self.transport()
        self.serve(transport, 'a')
        error = self.assertRaises(
            exceptions.EntityNotFound,
            self.client(transport).call, {}, 'missing', name='s1')
        self.assertEqual('EntityNotFound_Remote', type(error).__name__)
        self.assertIn('The Stack (s1) could not be found', error.message)

    def test_a_call_nobody_answers_times_out(self):
        transport = self.transport()
        self.assertRaises(
            oslo_messaging.MessagingTimeout,
            self.client(transport, topic='nobody').prepare(timeout=0.1).call,
            {}, 'echo', value={})

    def test_a_message_that_is_not_json_fails_at_the_sender(self):
        transport = self.transport()
        self.assertRaises(ValueError, self.client(transport).cast, {},
                          'note', value=object())

    def test_casts_to_a_topic_go_to_one_server_each(self):
        transport = self.transport()
        self.serve(transport, 'a')
        self.serve(transport, 'b')
        for value in range(20):
            self.client(transport).cast({}, 'note', value=value)
        arrived = self.wait_for(20)
        self.assertEqual(list(range(20)), sorted(v for _, v in arrived))

    def test_a_cast_to_a_server_goes_to_that_server_only(self):
        transport = self.transport()
        self.serve(transport, 'a')
        self.serve(transport, 'b')
        for value in range(5):
            self.client(transport, server='b').cast({}, 'note', value=value)
        self.assertEqual({'b'}, {name for name, _ in self.wait_for(5)})

    def test_a_fanout_goes_to_every_server(self):
        transport = self.transport()
        self.serve(transport, 'a')
        self.serve(transport, 'b')
        self.client(transport, fanout=True).cast({}, 'note', value='all')
        self.assertEqual([('a', 'all'), ('b', 'all')],
                         sorted(self.wait_for(2)))

    def test_messages_wait_for_a_server_that_starts_later(self):
        transport = self.transport()
        self.client(transport).cast({}, 'note', value='early')
        self.serve(transport, 'late')
        self.assertEqual([('late', 'early')], self.wait_for(1))

    def test_transports_of_one_virtual_host_share_queues(self):
        self.serve(self.transport(), 'a')
        self.client(self.transport()).cast({}, 'note', value='across')
        self.assertEqual([('a', 'across')], self.wait_for(1))

    def test_virtual_hosts_are_separate_buses(self):
        self.serve(self.transport('inproc:///one'), 'a')
        self.client(self.transport('inproc:///two')).cast(
            {}, 'note', value='elsewhere')
        self.client(self.transport('inproc:///one')).cast(
            {}, 'note', value='here')
        self.assertEqual([('a', 'here')], self.wait_for(1))

    def test_traversals_take_turns_on_a_queue(self):
        transport = self.transport()
        cast = self.client(transport).cast
        for i in range(3):
            cast({}, 'step', traversal_id='big', i=i)
        cast({}, 'step', traversal_id='small', i=0)
        # One executor thread: messages are handled in the order taken.
        self.serve(transport, 'a', pool_size=1)
        self.assertEqual([['big', 0], ['small', 0], ['big', 1], ['big', 2]],
                         [list(v) for _, v in self.wait_for(4)])

    def test_a_stopped_server_leaves_later_messages_queued(self):
        transport = self.transport()
        rpc_server = self.serve(transport, 'a')
        rpc_server.stop()
        rpc_server.wait()
        self.client(transport).cast({}, 'note', value='after')
        self.serve(transport, 'b')
        self.assertEqual([('b', 'after')], self.wait_for(1))


class InProcQueueTest(testtools.TestCase):
    """The driver's queue itself: what a listener takes and gives back."""

    def setUp(self):
        super().setUp()
        self.addCleanup(inproc.reset)
        self.driver = inproc.InProcDriver(
            cfg.ConfigOpts(), oslo_messaging.TransportURL.parse(
                cfg.ConfigOpts(), 'inproc:///queue-test'))
        self.target = oslo_messaging.Target(exchange='x', topic='t')
        self.listener = inproc._Listener(self.driver._broker,
                                         [('x', 't', None, None)])

    def cast(self, value) -> None:
        self.driver.send(self.target, {'user': 'u'},
                         {'method': 'note', 'args': {'value': value}})

    def take(self):
        taken = self.listener.poll(timeout=PATIENCE)
        self.assertEqual(1, len(taken))
        return taken[0]

    def test_a_requeued_message_is_taken_again(self):
        self.cast(1)
        first = self.take()
        first.requeue()
        again = self.take()
        self.assertEqual(({'user': 'u'}, {'method': 'note',
                                          'args': {'value': 1}}),
                         (again.ctxt, again.message))
        self.assertEqual([], self.listener.poll(timeout=0))

    def test_messages_leave_no_cyclic_garbage(self):
        # Thousands of casts in flight must not keep the collector busy.
        gc.collect()
        gc.disable()
        self.addCleanup(gc.enable)
        for value in range(20):
            self.cast(value)
            message = self.take()
            message.requeue()
            self.take().acknowledge()
        del message
        self.assertEqual(0, gc.collect())
