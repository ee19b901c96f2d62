"""What the agent has done for each deployment action, kept on disk.

heat-agents' 55-heat-config writes ``<deployed>/<id>.json`` *before* running
the hook and never looks again, so an agent killed mid-hook leaves the
deployment unsignalled until Heat times it out. Here each deployment action
(the derived config's id and its deploy_action) has a record that moves
through three phases, each saved (atomically) before the step that follows
it, so a restarted agent knows what is left:

- RUNNING: the hook was started; its result is not known (the agent may
  have died with it). The hook runs again.
- RAN: the hook's result is saved; the signal has not landed. The saved
  result is sent again (never a second run of the hook).
- DONE: the signal landed, was refused for good, or none was due. Nothing
  more happens for this action, whatever the metadata says later.

The one window left: a signal that lands just before the agent dies, before
DONE is saved, is sent again on restart (the engine refuses a second
signal for a finished action).
"""

import contextlib
import fcntl
import hashlib
import json
import os
import tempfile
import time

RUNNING, RAN, DONE = 'RUNNING', 'RAN', 'DONE'
RUN, SIGNAL, SKIP = 'run', 'signal', 'skip'

# What to do for a deployment action given its record's phase.
NEXT_STEP = {
    None: RUN,      # never seen: run the hook
    RUNNING: RUN,   # the hook's run was cut short: run it again
    RAN: SIGNAL,    # the result is kept but not delivered: send it
    DONE: SKIP,     # delivered (or not deliverable, said so): nothing
}

LOCK_NAME = 'lock'
RECORDS_DIR = 'deployed'


def next_step(record: dict | None) -> str:
    """The step a deployment action's record calls for."""
    return NEXT_STEP[record['phase'] if record else None]


def started(record: dict | None, deployment: dict) -> dict:
    """The record once the hook starts (one more run counted)."""
    runs = (record or {}).get('runs', 0) + 1
    return {'phase': RUNNING, 'deployment': deployment, 'runs': runs,
            'result': None, 'delivery': None, 'signals': 0}


def not_run(deployment: dict, reason: str) -> dict:
    """The record of an action the agent refuses before running it (a
    signal it could not deliver): DONE, ``reason`` saying why."""
    return {'phase': DONE, 'deployment': deployment, 'runs': 0,
            'result': None, 'delivery': 'not run: %s' % reason, 'signals': 0}


def ran(record: dict, result: dict) -> dict:
    """The record once the hook's result is known."""
    return dict(record, phase=RAN, result=result)


def attempted(record: dict, attempts: int) -> dict:
    """The record once ``attempts`` more signals were sent (whether or not
    they landed)."""
    return dict(record, signals=record.get('signals', 0) + attempts)


def delivered(record: dict, delivery: str) -> dict:
    """The record once nothing more is to be sent; ``delivery`` says why."""
    return dict(record, phase=DONE, delivery=delivery)


def safe_name(raw: str) -> str:
    """``raw`` as a file name: kept when it is a plain name; anything else
    is replaced and a digest of the original added, so two names never
    share a file."""
    safe = ''.join(c if c.isascii() and (c.isalnum() or c in '-_') else '_'
                   for c in raw)
    if safe != raw or not safe:
        safe = '%s-%s' % (safe, hashlib.sha256(raw.encode()).hexdigest()[:12])
    return safe


def record_key(deployment_id: str, action: str) -> str:
    """The file name of one deployment action's record (id.ACTION)."""
    return '%s.%s' % (safe_name(deployment_id), safe_name(action))


class StateDir:
    """The records of one agent, under ``root`` (created 0700)."""

    def __init__(self, root: str):
        self.root = root
        self.records = os.path.join(root, RECORDS_DIR)
        os.makedirs(self.records, 0o700, exist_ok=True)

    def path(self, key: str) -> str:
        return os.path.join(self.records, key + '.json')

    def load(self, key: str) -> dict | None:
        """The record of ``key``; None if there is none.

        A record that is not valid JSON cannot come from a torn write (each
        is renamed into place whole) but from a hand edit: it counts as
        RUNNING, so the action runs again rather than being lost.
        """
        try:
            with open(self.path(key)) as f:
                record = json.load(f)
        except FileNotFoundError:
            return None
        except ValueError:
            return {'phase': RUNNING, 'runs': 0}
        if not isinstance(record, dict):
            return {'phase': RUNNING, 'runs': 0}
        return record if record.get('phase') in NEXT_STEP else {
            'phase': RUNNING, 'runs': record.get('runs', 0)}

    def save(self, key: str, record: dict) -> None:
        """Write ``record`` whole or not at all (fsync, then rename)."""
        record = dict(record, updated_at=time.time())
        fd, tmp = tempfile.mkstemp(dir=self.records, prefix='.tmp-')
        try:
            with os.fdopen(fd, 'w') as f:
                json.dump(record, f, indent=2, sort_keys=True)
                f.flush()
                os.fsync(f.fileno())
            os.rename(tmp, self.path(key))
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        dir_fd = os.open(self.records, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)

    @contextlib.contextmanager
    def lock(self, on_wait=lambda path: None):
        """Hold the agent's lock: one runner at a time works on the records
        (a runner orphaned by a killed os-collect-config finishes first).
        ``on_wait`` is told the lock's path when another runner holds it."""
        path = os.path.join(self.root, LOCK_NAME)
        with open(path, 'a') as f:
            try:
                fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                on_wait(path)
                fcntl.flock(f.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(f.fileno(), fcntl.LOCK_UN)
