"""Forking ``num_engine_workers`` engine processes and passing signals on.

heat-engine forks its workers with oslo.service's ProcessLauncher, which
starts a new worker whenever one exits.  This parent restarts none: a worker
that dies unexpectedly is logged, its heartbeat stops and the other engines'
recovery takes over what it held; a worker that crashes at start would only
crash again.  When no worker is left the parent exits with an error, so the
service manager (systemd's ``Restart=``) decides about restarting the whole
service.  SIGTERM and SIGINT are passed on to every worker, each stops
gracefully (``convergence.engine.process.shutdown``), and the parent exits
once all of them have.

Everything a worker uses (transport, database engine, green-thread hub) is
created after the fork, in the worker.
"""

import ctypes
import logging
import os
import signal
import sys
from typing import Callable

LOG = logging.getLogger(__name__)

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
# prctl(2): a signal the kernel sends a process when its parent dies.
_PR_SET_PDEATHSIG = 1


class Supervisor:
    """Runs ``run_worker(index)`` in ``count`` forked processes."""

    def __init__(self, count: int, run_worker: Callable[[int], object]):
        if count < 1:
            raise ValueError('at least one worker is needed, not %r'
                             % (count,))
        self._count = count
        self._run_worker = run_worker
        self._workers: dict[int, int] = {}     # pid -> worker index
        self._stopping = False
        self._failed = False

    @property
    def pids(self) -> list[int]:
        return list(self._workers)

    def run(self) -> int:
        """Fork the workers and wait for them; the exit status to use."""
        for signum in STOP_SIGNALS:
            signal.signal(signum, self._pass_on)
        for index in range(self._count):
            self._fork(index)
        LOG.info('started %d engine workers: pids %s', self._count,
                 ' '.join(str(pid) for pid in self._workers))
        while self._workers:
            try:
                pid, status = _blocking_wait()
            except ChildProcessError:
                break
            index = self._workers.pop(pid, None)
            if index is not None:
                self._reaped(pid, index, status)
        return 1 if self._failed else 0

    def _pass_on(self, signum, frame) -> None:
        if not self._stopping:
            LOG.info('signal %d: stopping %d engine workers', signum,
                     len(self._workers))
        self._stopping = True
        for pid in list(self._workers):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    def _reaped(self, pid: int, index: int, status: int) -> None:
        code = os.waitstatus_to_exitcode(status)
        if self._stopping and code == 0:
            LOG.info('engine worker %d (pid %d) stopped', index, pid)
            return
        self._failed = True
        LOG.error('engine worker %d (pid %d) exited %s%s; it is not '
                  'restarted, %d workers remain', index, pid,
                  'on signal %d' % -code if code < 0 else 'with %d' % code,
                  '' if self._stopping else ' unexpectedly',
                  len(self._workers))

    def _fork(self, index: int) -> None:
        # Stop signals wait until the worker has its own handlers (and the
        # parent has recorded the worker's pid).
        signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
        parent = os.getpid()
        pid = os.fork()
        if pid:
            self._workers[pid] = index
            signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
            return
        os._exit(self._worker(index, parent))

    def _worker(self, index: int, parent: int) -> int:
        """The body of a forked worker; its exit status."""
        code = 1
        try:
            for signum in STOP_SIGNALS:
                signal.signal(signum, signal.SIG_DFL)
            signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
            _stop_with_parent(parent)
            _fresh_green_hub()
            self._run_worker(index)
            code = 0
        except SystemExit as exc:
            if exc.code is None or isinstance(exc.code, int):
                code = exc.code or 0
            else:
                print(exc.code, file=sys.stderr)
        except BaseException:
            LOG.exception('engine worker %d failed', index)
        finally:
            logging.shutdown()
        return code


def _blocking_wait() -> tuple[int, int]:
    """``os.wait`` as the kernel gives it, even under eventlet.

    Patched, it polls with green sleeps, and a stop signal's handler may
    then run in the hub's greenlet instead of this loop's.  Blocking in the
    real call, the handler runs here, between two waits.
    """
    try:
        import eventlet.patcher
    except ImportError:
        return os.wait()
    return eventlet.patcher.original('os').wait()


def _stop_with_parent(parent: int) -> None:
    """SIGTERM this worker if the parent dies (SIGKILLed, say)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):
        return      # not Linux: a SIGKILLed parent leaves workers running
    if os.getppid() != parent:
        os.kill(os.getpid(), signal.SIGTERM)    # it died before prctl


def _fresh_green_hub() -> None:
    """A hub of the worker's own: the parent's epoll must not be shared."""
    import eventlet.hubs
    eventlet.hubs.use_hub()
