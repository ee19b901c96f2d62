"""REST views (heat-api's shapes) of small stacks, for the graph tests."""

TOP = 'a1b2'
CHILD = 'c3d4'
URL = 'http://heat.example:8004/v1/admin/stacks'


def stack(status: str, created='2026-01-01T12:00:00Z', updated=None,
          reason='', progress=None) -> dict:
    view = {'id': TOP, 'stack_name': 'web', 'stack_status': status,
            'stack_status_reason': reason, 'creation_time': created,
            'updated_time': updated}
    if progress is not None:
        view['progress'] = progress
    return view


def resource(name: str, status: str, required_by=(), stack_id=TOP,
             stack_name='web', nested=None, parent=None,
             updated='2026-01-01T12:00:05Z', reason='') -> dict:
    stack_url = '%s/%s/%s' % (URL, stack_name, stack_id)
    links = [{'rel': 'self', 'href': stack_url + '/resources/' + name},
             {'rel': 'stack', 'href': stack_url}]
    if nested:
        links.append({'rel': 'nested',
                      'href': '%s/web-inner/%s' % (URL, nested)})
    row = {'resource_name': name, 'resource_status': status,
           'resource_status_reason': reason,
           'resource_type': 'OS::Heat::TestResource', 'links': links,
           'required_by': list(required_by), 'updated_time': updated,
           'creation_time': '2026-01-01T12:00:01Z'}
    if parent:
        row['parent_resource'] = parent
    return row


def nested_tree(inner_two='CREATE_IN_PROGRESS') -> list[dict]:
    """base <- inner (a nested stack: one <- two) <- after, mid-create."""
    return [
        resource('base', 'CREATE_COMPLETE', required_by=['inner']),
        resource('inner', 'CREATE_IN_PROGRESS', required_by=['after'],
                 nested=CHILD),
        resource('after', 'INIT_COMPLETE', updated=None),
        resource('one', 'CREATE_COMPLETE', required_by=['two'],
                 stack_id=CHILD, stack_name='web-inner', parent='inner'),
        resource('two', inner_two, stack_id=CHILD, stack_name='web-inner',
                 parent='inner', reason='boom' if 'FAILED' in inner_two
                 else ''),
    ]
