"""The hostile inputs: small requests that cost much, and bad arguments.

Each is a (label, body-fields) pair for a create or update request; every
one must be refused with a 4xx and leave no row behind.
"""

from functional_tests.hostile import base


def alias_bomb(header: str, levels: int = 9) -> str:
    """A 'billion laughs' YAML document of some 500 bytes."""
    lines = [header, 'l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]']
    for level in range(1, levels + 1):
        lines.append('l%d: &l%d [%s]' % (level, level, ', '.join(
            ['*l%d' % (level - 1)] * 9)))
    return '\n'.join(lines) + '\n'


def _one(properties: dict, resource_type: str = 'OS::Heat::TestResource',
         **sections) -> dict:
    return base.template({'r': {'type': resource_type,
                                'properties': properties}}, **sections)


def repeat_bomb() -> dict:
    """An output of 100 ** 3 copies: some 1.5 KB of template."""
    items = ['%02d' % i for i in range(100)]
    return base.template(
        {'r': {'type': 'OS::Heat::None'}},
        outputs={'o': {'value': {'repeat': {
            'template': 'abcdefghij %a% %b% %c%',
            'for_each': {'%a%': items, '%b%': items, '%c%': items}}}}})


def str_replace_bomb() -> dict:
    """24 KB of str_replace standing for 64 MB."""
    return _one({'value': {'str_replace': {
        'template': '$v' * 4000, 'params': {'$v': 'x' * 16000}}}})


def list_join_bomb() -> dict:
    return _one({'value': {'list_join': [
        'd' * 20000, ['i%d' % i for i in range(2000)]]}})


def deep_template(levels: int) -> str:
    """JSON text of a property nesting ``levels`` list_joins (three maps
    and lists each): no client library would encode it."""
    value = '{"list_join": [",", [' * levels + '"x"' + ']]}' * levels
    return ('{"heat_template_version": "%s", "resources": {"r": {"type": '
            '"OS::Heat::TestResource", "properties": {"value": %s}}}}'
            % (base.HOT_VERSION, value))


def deep_yaml(levels: int) -> str:
    """YAML text whose one property nests ``levels`` flow lists."""
    return ('heat_template_version: %s\nresources:\n  r:\n'
            '    type: OS::Heat::None\n    properties:\n      v: %s\n'
            % (base.HOT_VERSION, '[' * levels + ']' * levels))


PADDING = 'p' * 200000

# Arguments that are wrong on their own (with a padded, valid template).
BAD_ARGUMENTS = [
    ('disable_rollback "maybe"', {'disable_rollback': 'maybe'}),
    ('timeout_mins 10**30', {'timeout_mins': 10 ** 30}),
    ('timeout_mins -1', {'timeout_mins': -1}),
    ('timeout_mins "soon"', {'timeout_mins': 'soon'}),
]

# Templates (or environments) that cost much or are plain wrong.
BAD_TEMPLATES = [
    ('template alias bomb', {'template': alias_bomb(
        'heat_template_version: %s' % base.HOT_VERSION)}),
    ('environment alias bomb', {'environment': alias_bomb(
        'parameters: {}')}),
    ('environment file alias bomb', {
        'files': {'env.yaml': alias_bomb('parameters: {}')},
        'environment_files': ['env.yaml']}),
    ('repeat bomb in an output', {'template': repeat_bomb()}),
    ('str_replace bomb', {'template': str_replace_bomb()}),
    ('list_join bomb', {'template': list_join_bomb()}),
    ('template nested 150 functions deep', {'template': deep_template(150)}),
    ('template nested 500 functions deep', {'template': deep_template(500)}),
    ('YAML lists nested 5000 deep', {'template': deep_yaml(5000)}),
    ('wait_secs .inf', {'template': (
        'heat_template_version: %s\nresources:\n  r:\n'
        '    type: OS::Heat::TestResource\n'
        '    properties: {wait_secs: .inf}\n' % base.HOT_VERSION)}),
    ('wait_secs 1e308', {'template': _one({'wait_secs': 1e308})}),
    ('action_wait_secs delete .nan', {'template': (
        'heat_template_version: %s\nresources:\n  r:\n'
        '    type: OS::Heat::TestResource\n'
        '    properties: {action_wait_secs: {delete: .nan}}\n'
        % base.HOT_VERSION)}),
    ('unknown resource type', {'template': _one({}, 'No::Such::Type')}),
    ('template not a mapping', {'template': '[1, 2, 3]'}),
]


def padded_template() -> dict:
    """A valid template of some 200 KB: a stored copy would show."""
    return base.template({'r': {'type': 'OS::Heat::None'}},
                         description=PADDING)
