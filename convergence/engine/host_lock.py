"""Proof, on one machine, that an engine process is gone.

Every engine process holds an exclusive ``flock`` on a file named after its
engine id, in a directory of this machine, for as long as it lives.  The
kernel releases the lock when the process ends, however it ends (SIGKILL
included), so an engine that starts later on the same machine can take the
lock of a predecessor's file only if that predecessor is gone: proof
enough to take over its rows at once, instead of waiting for its heartbeat
to age (three ``periodic_interval``s).  No file (another machine, or a
predecessor from before a reboot) proves nothing.
"""

import fcntl
import logging
import os
import tempfile

LOG = logging.getLogger(__name__)

# The directory of the lock files: per user, per machine.
LOCK_DIR = os.path.join(tempfile.gettempdir(),
                        'convergence-engines-%d' % os.getuid())


def _path(engine_id: str, directory: str | None) -> str:
    return os.path.join(directory or LOCK_DIR, '%s.lock' % engine_id)


class HostLock:
    """The lock this engine process holds for life (``release`` on a clean
    stop).  Take it before the engine's service row is written: nobody
    looks for the file of an engine id they have not seen."""

    def __init__(self, engine_id: str, directory: str = LOCK_DIR):
        self.path = _path(engine_id, directory)
        self._fd = None
        try:
            os.makedirs(directory, mode=0o700, exist_ok=True)
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            # for a human looking at the directory
            os.write(self._fd, b'%d\n' % os.getpid())
        except OSError as exc:
            # Without the file, successors only wait longer to take over.
            LOG.warning('engine %s runs without a host lock (%s): a '
                        'successor will wait for its heartbeat to age',
                        engine_id, exc)
            self.release()

    def release(self) -> None:
        if self._fd is None:
            return
        _unlink(self.path)
        os.close(self._fd)
        self._fd = None


def is_gone(engine_id: str, directory: str | None = None) -> bool:
    """Whether the engine provably ended on this machine: its lock file
    exists and nobody holds it.  The file is removed once proven."""
    return _probe(engine_id, directory, remove_if_free=True) is False


def is_held(engine_id: str, directory: str | None = None) -> bool:
    """Whether a live process on this machine holds the engine's lock."""
    return _probe(engine_id, directory, remove_if_free=False) is True


def _probe(engine_id: str, directory: str | None,
           remove_if_free: bool) -> bool | None:
    """Whether the engine's lock is held: None when it has no lock file
    (another machine, or before a reboot), else True or False."""
    path = _path(engine_id, directory)
    try:
        fd = os.open(path, os.O_RDWR)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    else:
        if remove_if_free:
            _unlink(path)
        return False
    finally:
        os.close(fd)


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
