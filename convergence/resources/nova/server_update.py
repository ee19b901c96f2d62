"""The steps of an in-place update of OS::Nova::Server (Heat's
handle_update / check_update_complete), as data.

Immediate changes (name, metadata, admin password) are made by
``handle_update``; what Nova does over time is a step the update's token
holds and ``advance`` drives, one look at the server per call: interfaces
detached and attached (``server_interfaces``), a resize (to VERIFY_RESIZE,
confirmed, back to ACTIVE) and a rebuild (through REBUILD to ACTIVE), in
Heat's order.  Heat's words when one goes wrong.
"""

from convergence.resources.cloud_resource import ResourceUnknownStatus
from convergence.resources.nova import server_interfaces

RESIZE, CONFIRM, REBUILD = 'resize', 'confirm', 'rebuild'


class UpdateFailed(Exception):
    """Nova ended a resize or rebuild in a state that is not the goal."""


def resize(flavor_id: str, flavor: str) -> dict:
    return {'step': RESIZE, 'flavor_id': flavor_id, 'flavor': flavor,
            'started': False}


def rebuild(args: dict) -> dict:
    return {'step': REBUILD, 'args': args, 'started': False}


def advance(server, steps: list[dict]) -> bool:
    """Drive the first step one look further; True when none is left
    (``server``: the Server plugin)."""
    compute, server_id = server.compute(), server.resource_id
    while steps:
        step = steps[0]
        interface = step['step'] in (server_interfaces.DETACH,
                                     server_interfaces.ATTACH)
        if not step['started']:
            if interface:
                server_interfaces.start(server, step)
            else:
                _start(compute, server_id, step)
            return False
        if interface:
            if not server_interfaces.finished(server, step):
                return False
        elif not _finished(compute, server_id, step):
            return False
        steps.pop(0)
    return True


def _start(compute, server_id: str, step: dict) -> None:
    if step['step'] == RESIZE:
        compute.action('server', server_id, 'resize',
                       {'flavorRef': step['flavor_id']})
    elif step['step'] == REBUILD:
        compute.action('server', server_id, 'rebuild', step['args'])
    step['started'] = True


def _finished(compute, server_id: str, step: dict) -> bool:
    server = compute.show('server', server_id)
    status = None if server is None else server.get('status')
    task = (server or {}).get('OS-EXT-STS:task_state')
    if step['step'] == RESIZE:
        # Nova's API marks the server resizing before it answers: ACTIVE
        # with no task left means the resize was given up (no host...).
        if status in (None, 'RESIZE') or (status == 'ACTIVE' and task):
            return False
        if status != 'VERIFY_RESIZE':
            raise UpdateFailed("Resizing to '%s' failed, status '%s'"
                               % (step['flavor'], status))
        compute.action('server', server_id, 'confirmResize')
        step['step'] = CONFIRM
        return False
    if step['step'] == CONFIRM:
        if status == 'ACTIVE':
            return True
        if status in (None, 'VERIFY_RESIZE') or 'resize' in (task or ''):
            return False
        raise ResourceUnknownStatus('Confirm resize for server %s failed'
                                    % server_id, status)
    if status in (None, 'REBUILD'):
        return False
    if status == 'ERROR':
        raise UpdateFailed("Rebuilding server failed, status '%s'" % status)
    return True
