"""Heat's rows as ours: stacks, templates, resource states, events.

Pure.  Ids are left as Heat's (resource and template ids as "keys" that
db/imports.py turns into ours when it inserts the rows).  A stack or
resource that a dead heat-engine left IN_PROGRESS comes over FAILED with
Heat's own reason for that case, as heat-engine's start-up reset
(``reset_stack_status``) would have written it; an update repairs it.
"""

import uuid

from convergence import states

Action, Status = states.Action, states.Status
# heat/engine/service.py's reason when an engine finds a stack a dead
# engine left IN_PROGRESS (written on the stack and its resources).
ENGINE_DOWN = 'Engine went down during stack %s'
# The event type of a stack's own events, as Heat's.
STACK_EVENT_TYPE = 'OS::Heat::Stack'


def state(action: str, status: str, reason: str | None,
          stack_action: str) -> tuple[str, str, str | None]:
    """The (action, status, reason) a row comes over with: IN_PROGRESS
    becomes FAILED, as Heat's reset makes it."""
    if status == Status.IN_PROGRESS:
        return action, Status.FAILED, ENGINE_DOWN % stack_action
    return action, status, reason


def stack(heat: dict, tags: list[str], root_id: str | None,
          owner_resource_key: int | None) -> dict:
    """Our stack row for Heat's stack row.

    ``raw_template_id`` and ``prev_raw_template_id`` stay Heat's template
    ids (keys); ``owner_resource_key`` is Heat's id of the owning resource.
    A stack that ends up FAILED has no current traversal, as ours after a
    failure; a COMPLETE one keeps Heat's traversal id.
    """
    action, status, reason = state(heat['action'], heat['status'],
                                   heat['status_reason'], heat['action'])
    return {
        'id': heat['id'], 'name': heat['name'], 'tenant': heat['tenant'],
        'username': heat['username'],
        'raw_template_id': heat['raw_template_id'],
        'prev_raw_template_id': heat['prev_raw_template_id'],
        'current_traversal': (heat['current_traversal'] or ''
                              if status == Status.COMPLETE else ''),
        'action': action, 'status': status, 'status_reason': reason,
        'failure_reason': None, 'rollback_on_failure': False,
        'timeout': heat['timeout'],
        'disable_rollback': bool(heat['disable_rollback']),
        'tags': list(tags) or None,
        'owner_id': heat['owner_id'], 'owner_resource_id': owner_resource_key,
        'parent_resource': heat['parent_resource_name'],
        'root_stack_id': root_id if heat['owner_id'] else None,
        'nested_depth': heat['nested_depth'] or 0,
        'created_at': heat['created_at'], 'updated_at': heat['updated_at'],
        'deleted_at': None,
    }


def repaired(heat: dict) -> bool:
    """Whether the import turns this Heat row from IN_PROGRESS to FAILED."""
    return heat['status'] == Status.IN_PROGRESS


def template(heat: dict, stack_id: str, facade: dict | None) -> dict:
    """Our raw_template row (``id`` stays Heat's: a key) for Heat's."""
    return {'id': heat['id'], 'stack_id': stack_id,
            'template': heat['template'],
            'environment': heat['environment'] or {},
            'files': heat['files'] or {}, 'facade': facade,
            'snapshot_id': None, 'created_at': heat['created_at']}


def resource(heat: dict, stack: dict, kind: tuple[str, str],
             properties: dict, rsrc_data: dict) -> dict:
    """Our resource row for Heat's (Heat's ids as keys; attr_data comes later).

    ``kind``: our (type, declared type) from the row's template.
    """
    action, status, reason = state(heat['action'], heat['status'],
                                   heat['status_reason'], stack['action'])
    return {
        'id': heat['id'], 'uuid': heat['uuid'], 'name': heat['name'],
        'stack_id': heat['stack_id'], 'type': kind[0],
        'declared_type': kind[1],
        'current_template_id': heat['current_template_id'],
        'requires': sorted(heat['requires'] or []),
        'replaces': heat['replaces'], 'replaced_by': heat['replaced_by'],
        'physical_resource_id': heat['nova_instance'],
        'properties_data': properties, 'attr_data': None,
        'rsrc_data': rsrc_data, 'action': action, 'status': status,
        'status_reason': reason, 'engine_id': None,
        'atomic_key': heat['atomic_key'] or 0, 'pending_trigger': None,
        'awaiting': None, 'adopt_data': None,
        'created_at': heat['created_at'], 'updated_at': heat['updated_at'],
    }


def is_gone(heat: dict) -> bool:
    """A row Heat deleted and has not purged yet: nothing to bring over."""
    return heat['action'] == Action.DELETE and heat['status'] == Status.COMPLETE


def event(heat: dict, properties: dict | None) -> dict:
    """Our event row for Heat's (``properties``: its properties data)."""
    return {'uuid': heat['uuid'], 'stack_id': heat['stack_id'],
            'resource_name': heat['resource_name'],
            'physical_resource_id': heat['physical_resource_id'],
            'resource_type': heat['resource_type'],
            'resource_action': heat['resource_action'],
            'resource_status': heat['resource_status'],
            'resource_status_reason': heat['resource_status_reason'],
            'resource_properties': properties,
            'created_at': heat['created_at']}


def repair_events(stack_row: dict, resource_rows: list[dict],
                  repaired_keys: set[int], at) -> list[dict]:
    """The events that record a repair, as Heat's reset writes them: one
    per resource turned FAILED, then the stack's, stamped ``at``.  Their
    uuids derive from the stack's and rows' so a run writes the same."""
    events = [_repair_event(stack_row['id'], 'resource:%s' % row['uuid'],
                            row['name'], row['physical_resource_id'],
                            row['declared_type'] or row['type'], row, at)
              for row in resource_rows if row['id'] in repaired_keys]
    events.append(_repair_event(stack_row['id'], 'stack', stack_row['name'],
                                stack_row['id'], STACK_EVENT_TYPE, stack_row,
                                at))
    return events


def _repair_event(stack_id: str, what: str, name: str, physical_id, kind,
                  row: dict, at) -> dict:
    return {'uuid': str(uuid.uuid5(uuid.NAMESPACE_URL, 'import-heat:%s:%s'
                                   % (stack_id, what))),
            'stack_id': stack_id, 'resource_name': name,
            'physical_resource_id': physical_id, 'resource_type': kind,
            'resource_action': row['action'],
            'resource_status': row['status'],
            'resource_status_reason': row['status_reason'],
            'resource_properties': None, 'created_at': at}
