"""``convergence-heat-config``: os-collect-config's command on a server.

os-collect-config runs it (``command = convergence-heat-config``) with
``OS_CONFIG_FILES`` naming the documents it collected; for a manual run the
documents may be given as arguments instead. Each deployment of the merged
document's ``deployments`` list is taken in order: an action already done is
skipped, one cut short is run again, a result not yet delivered is sent
again (state.NEXT_STEP).

The exit status tells os-collect-config whether to keep the data: 0 when
every result is delivered (or refused for good); 1 when a signal could not
be delivered or the document (or one of its entries, which is skipped) is
malformed, so that os-collect-config does not commit its cache and runs this
command again at its next poll, which re-sends what is still owed and logs
the malformed entry again.
"""

import argparse
import logging
import os
import sys

from convergence.agent import hooks
from convergence.agent import protocol
from convergence.agent import signals
from convergence.agent import state

PROG = 'convergence-heat-config'
# Where a server's agent keeps its records and hook files by default (as
# heat-config keeps /var/lib/heat-config).
DEFAULT_STATE_DIR = '/var/lib/convergence-heat-config'
OS_CONFIG_FILES = 'OS_CONFIG_FILES'

LOG = logging.getLogger(PROG)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog=PROG, description='Run the software deployments of the '
        'metadata os-collect-config collected (heat-config protocol) and '
        'signal their results.')
    parser.add_argument(
        'files', nargs='*', metavar='FILE',
        help='collected documents to read (default: the files named by '
        '$%s, as os-collect-config sets it)' % OS_CONFIG_FILES)
    parser.add_argument(
        '--state-dir', default=DEFAULT_STATE_DIR,
        help='where the records of deployment actions and the hooks\' '
        'files are kept (default: %(default)s)')
    parser.add_argument(
        '--signal-attempts', type=int, default=signals.ATTEMPTS,
        help='attempts per signal before leaving it to the next run '
        '(default: %(default)s)')
    args = parser.parse_args(argv)
    if args.signal_attempts < 1:
        parser.error('--signal-attempts must be at least 1')
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    _setup_logging()
    files = args.files or [
        f for f in os.environ.get(OS_CONFIG_FILES, '').split(':') if f]
    if not files:
        LOG.error('no collected documents: $%s is not set (run me as '
                  'os-collect-config\'s command) and no FILE was given',
                  OS_CONFIG_FILES)
        return 2
    try:
        deployments, errors = protocol.deployments(
            protocol.read_config_files(_read(files)))
    except protocol.ProtocolError as e:
        LOG.error('cannot act on the collected metadata: %s', e)
        return 1
    for error in errors:
        LOG.error('skipped: %s', error)
    store = state.StateDir(args.state_dir)
    workspace = hooks.Workspace(args.state_dir, dict(os.environ))
    with store.lock(on_wait=lambda path: LOG.info(
            'another runner holds %s: waiting for it to finish', path)):
        settled = [handle(d, store, workspace, args.signal_attempts)
                   for d in deployments]
    return 0 if all(settled) and not errors else 1


def handle(deployment: protocol.Deployment, store: state.StateDir,
           workspace: hooks.Workspace, attempts: int,
           send: signals.Sender | None = None) -> bool:
    """Take one deployment action as far as it goes; False while its result
    is still owed (the next run must send it). ``send`` makes one signal
    attempt (default: HTTP)."""
    label = 'deployment %s (%s, %s)' % (deployment.name, deployment.id,
                                        deployment.action)
    key = state.record_key(deployment.id, deployment.action)
    record = store.load(key)
    step = state.next_step(record)
    if step == state.SKIP:
        LOG.debug('%s: already deployed (%s)', label, record.get('delivery'))
        return True
    try:
        target = protocol.signal_target(deployment)
    except protocol.ProtocolError as e:
        LOG.error('%s: not run: %s', label, e)
        store.save(key, state.not_run(deployment.as_dict(), str(e)))
        return True
    if step == state.RUN:
        record = _run(label, deployment, store, key, record, workspace)
    return _signal(label, target, store, key, record, attempts, send)


def _run(label: str, deployment: protocol.Deployment, store: state.StateDir,
         key: str, record: dict | None, workspace: hooks.Workspace) -> dict:
    record = state.started(record, deployment.as_dict())
    store.save(key, record)
    LOG.info('%s: running group %s (run #%d)', label, deployment.group,
             record['runs'])
    result = hooks.run(deployment, workspace)
    record = state.ran(record, result)
    store.save(key, record)
    log = LOG.info if result[protocol.STATUS_CODE] == 0 else LOG.error
    log('%s: exited with status %s\n--- stdout\n%s--- stderr\n%s', label,
        result[protocol.STATUS_CODE], result[protocol.STDOUT],
        result[protocol.STDERR])
    return record


def _signal(label: str, target: protocol.SignalTarget, store: state.StateDir,
            key: str, record: dict, attempts: int,
            send: signals.Sender | None) -> bool:
    delivery = signals.deliver(
        target, protocol.signal_body(record['result']), send=send,
        attempts=attempts,
        log=lambda message: LOG.warning('%s: %s', label, message))
    record = state.attempted(record, delivery.attempts)
    if delivery.outcome == signals.UNDELIVERED:
        store.save(key, record)
        LOG.error('%s: result not delivered, kept for the next run: %s',
                  label, delivery.detail)
        return False
    store.save(key, state.delivered(record, delivery.detail))
    if delivery.outcome == signals.REFUSED:
        LOG.error('%s: signal refused: %s', label, delivery.detail)
    else:
        LOG.info('%s: done: %s', label, delivery.detail)
    return True


def _read(files: list[str]) -> list[str]:
    texts = []
    for path in files:
        try:
            with open(path, encoding='utf-8') as f:
                texts.append(f.read())
        except OSError as e:
            LOG.warning('cannot read collected document %s: %s', path, e)
    return texts


def _setup_logging() -> None:
    if LOG.handlers:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(
        '[%(asctime)s] (%(name)s) [%(levelname)s] %(message)s'))
    LOG.addHandler(handler)
    LOG.setLevel(logging.DEBUG)
    LOG.propagate = False


if __name__ == '__main__':
    sys.exit(main())
