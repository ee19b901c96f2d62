"""An engine process's life: heartbeat first, graceful stop, goodbye.

A real engine on a SQLite file and the inproc:// transport, its nodes and
background tasks on OS threads (the entry points' green threads need a
monkey-patched process; the functional tests run those).
"""

import gc
import os
import shutil
import tempfile
import threading
import time
import uuid

from oslo_config import cfg
import oslo_messaging
from oslo_messaging import conffixture
import oslo_messaging.opts
import testtools

from convergence import config
from convergence import definitions
from convergence import events
from convergence import runtime
from convergence.engine import heartbeat
from convergence.engine import process
from convergence.rpc import client as rpc_client
from convergence.rpc import inproc
from convergence.rpc import servers
from db import api as db_api
from db import migration

PATIENCE = 10


def register_messaging_opts(conf: cfg.ConfigOpts) -> None:
    """oslo.messaging's options (executor_thread_pool_size…) on ``conf``.

    Not through convergence.cmd, whose import monkey-patches the process.
    """
    conffixture.ConfFixture(conf)
    for group, opts in oslo_messaging.opts.list_opts():
        conf.register_opts(opts, group=group)


class EngineProcessTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.conf = cfg.ConfigOpts()
        config.register(self.conf)
        register_messaging_opts(self.conf)
        self.conf([], project='convergence', default_config_files=[])
        # The recovery sweeper and the heartbeat loop stay asleep.
        self.conf.set_override('periodic_interval', 3600)
        self.conf.set_override('host', 'test-host')
        # The eventlet executor needs a monkey-patched process.
        self.conf.set_override('executor', 'threading')
        workdir = tempfile.mkdtemp(prefix='convergence-process-')
        self.addCleanup(shutil.rmtree, workdir, ignore_errors=True)
        self.url = 'sqlite:///' + os.path.join(workdir, 'engine.sqlite')
        self.vhost = 'inproc:///%s' % uuid.uuid4().hex
        self.addCleanup(inproc.reset)

    def engine_parts(self, migrate: bool = True):
        if migrate:
            migration.db_sync(self.url)
        db = db_api.Database(self.url)
        self.addCleanup(db.dispose)
        transport = rpc_client.get_rpc_transport(self.conf, url=self.vhost)
        self.addCleanup(transport.cleanup)
        rt = runtime.Runtime(
            db=db, messenger=servers.RpcMessenger(transport),
            engine_id=str(uuid.uuid4()),
            events=events.EventLog(db, buffered=True),
            definitions=definitions.DefinitionCache(db))
        return rt, transport

    def start(self):
        rt, transport = self.engine_parts()
        started = process.start_engine(self.conf, rt, transport)
        self.addCleanup(process.stop, started, PATIENCE)
        return rt, transport, started

    def service_ids(self, rt) -> list[str]:
        return [s['engine_id'] for s in rt.db.service_list()]

    def test_the_engine_is_reported_alive_before_start_returns(self):
        rt, _, _ = self.start()
        self.assertEqual([rt.engine_id], self.service_ids(rt))

    def test_no_server_starts_when_the_heartbeat_cannot_be_written(self):
        rt, transport = self.engine_parts(migrate=False)
        rpc_client.WorkerClient(transport).cancel_check_resource(
            {}, 'stack-1', rt.engine_id)
        self.assertRaises(Exception, process.start_engine, self.conf, rt,
                          transport)
        # The cast is still queued: no worker server took it.
        migration.db_sync(self.url)
        cancelled = rt.cancels.register('stack-1')
        started = process.start_engine(self.conf, rt, transport)
        self.addCleanup(process.stop, started, PATIENCE)
        self.assertTrue(cancelled.wait(PATIENCE))

    def test_stop_takes_no_more_messages_and_waits_for_nodes(self):
        rt, transport, started = self.start()
        release = threading.Event()
        running = threading.Event()

        def node():
            running.set()
            release.wait(PATIENCE)
        started.nodes.submit('traversal-1', node)
        self.assertTrue(running.wait(PATIENCE))
        stopped = []
        stopper = threading.Thread(
            target=lambda: stopped.append(process.stop(started, PATIENCE)))
        stopper.start()
        time.sleep(0.1)
        self.assertEqual([], stopped)
        release.set()
        stopper.join(PATIENCE)
        self.assertEqual([True], stopped)
        # A message sent now waits for another engine.
        cancelled = rt.cancels.register('stack-2')
        rpc_client.WorkerClient(transport).cancel_check_resource(
            {}, 'stack-2', rt.engine_id)
        self.assertFalse(cancelled.wait(0.1))

    def test_stop_gives_up_waiting_after_the_timeout(self):
        rt, _, started = self.start()
        release = threading.Event()
        self.addCleanup(release.set)
        started.nodes.submit('traversal-1', release.wait, PATIENCE)
        self.assertFalse(process.stop(started, 0.05))

    def test_shutdown_writes_buffered_events_and_deletes_the_row(self):
        rt, _, started = self.start()
        stack_id = str(uuid.uuid4())
        rt.events.resource_event(stack_id, {'name': 'r1', 'type': 'T'},
                                 'CREATE', 'COMPLETE', 'done')
        process.shutdown(rt, started, PATIENCE)
        self.assertEqual([], self.service_ids(rt))
        self.assertEqual(['r1'], [e['resource_name'] for e in
                                  rt.db.events_list(stack_id)])

    def test_waits_of_a_running_node_give_its_slot_up(self):
        self.conf.set_override('max_running_nodes', 1)
        rt, _, started = self.start()
        waiting = threading.Event()
        both = []

        def waits():
            clock = rt.clock_factory(None, threading.Event())
            waiting.set()
            clock.wait(0.2)
            both.append('waiter')
        started.nodes.submit('a', waits)
        self.assertTrue(waiting.wait(PATIENCE))
        started.nodes.submit('b', both.append, 'other')
        self.assertTrue(started.nodes.wait_idle(PATIENCE))
        self.assertEqual(['other', 'waiter'], both)


class HeartbeatTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.conf = cfg.ConfigOpts()
        config.register(self.conf)
        self.conf([], project='convergence', default_config_files=[])
        self.conf.set_override('periodic_interval', 1)
        workdir = tempfile.mkdtemp(prefix='convergence-heartbeat-')
        self.addCleanup(shutil.rmtree, workdir, ignore_errors=True)
        url = 'sqlite:///' + os.path.join(workdir, 'beat.sqlite')
        migration.db_sync(url)
        db = db_api.Database(url)
        self.addCleanup(db.dispose)
        self.rt = runtime.Runtime(db=db, messenger=None, engine_id='e-1',
                                  events=None, definitions=None)

    def updated_at(self):
        rows = self.rt.db.service_list()
        return rows[0]['updated_at'] if rows else None

    def test_beats_until_stopped_and_never_after(self):
        heartbeat.report_alive(self.rt, self.conf)
        first = self.updated_at()
        beat = heartbeat.Heartbeat(self.rt, self.conf)
        thread = threading.Thread(target=beat.run)
        thread.start()
        deadline = time.monotonic() + PATIENCE
        while self.updated_at() == first and time.monotonic() < deadline:
            time.sleep(0.01)
        self.assertGreater(self.updated_at(), first)
        beat.stop()
        self.rt.db.service_delete('e-1')
        thread.join(PATIENCE)
        self.assertFalse(thread.is_alive())
        self.assertIsNone(self.updated_at())


class GarbageCollectionTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.addCleanup(gc.set_threshold, *gc.get_threshold())
        self.addCleanup(gc.unfreeze)

    def test_start_up_objects_are_frozen_and_full_collections_rare(self):
        young, middle, _ = gc.get_threshold()
        start_up = [object()]
        process.tune_garbage_collection()
        self.assertFalse(any(o is start_up for o in gc.get_objects()),
                         'a start-up object is still scanned')
        self.assertEqual((young, middle, process.FULL_COLLECTION_AFTER),
                         gc.get_threshold())
