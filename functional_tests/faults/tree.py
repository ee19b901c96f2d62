"""The tree the nested fault tests break: a root of mids of leaves.

The root has ``MIDS`` resources of type ``mid.yaml`` (a provider template
from ``files``), each mid ``LEAVES`` resources of type ``leaf.yaml``, each
leaf ``RECORDED`` recorded resources: 3 x 3 x 4 = 36 recorded resources in
13 stacks by default.  Every level is in flight for most of a traversal:
in each stack the last resource depends on the first (a mid's ``leaf2`` on
``leaf0``, the root's ``mid2`` on ``mid0``), so a traversal has nested
rows waiting, starting and finishing at every moment, and every recorded
resource waits during create, update and delete.

Parameters ``foo`` and ``replace`` are passed down to every leaf, with a
``path`` naming the leaf (``m1/l2``): each recorded value is
``<foo>/<path>/r<i>`` (``r1`` takes ``r0``'s value and adds ``+r1``), so
the root's outputs show every recorded value of the tree, in place.
An update of ``foo`` changes every leaf; ``replace`` true makes ``r3`` of
every leaf be replaced rather than updated.
"""

from functional_tests import recording
from functional_tests import templates

MIDS = 3
LEAVES = 3
RECORDED = 4
MID_TYPE = 'mid.yaml'
LEAF_TYPE = 'leaf.yaml'
# The recorded resource of each leaf that ``replace`` true replaces.
REPLACED = 'r3'
# Seconds each recorded resource waits per action, by index: r0 and r1
# are a chain, so a leaf stack takes about 2 s per traversal.
WAITS = (1.0, 1.0, 0.5, 1.5)


def mid(index: int) -> str:
    return 'mid%d' % index


def leaf(index: int) -> str:
    return 'leaf%d' % index


def recorded(index: int) -> str:
    return 'r%d' % index


# -- the templates ---------------------------------------------------------

_PARAMETERS = ('parameters:\n'
               '  foo: {type: string, default: one}\n'
               '  replace: {type: boolean, default: false}\n')


def _nested(name: str, kind: str, path: str, depends_on: str | None) -> str:
    lines = ['  %s:' % name, '    type: %s' % kind,
             '    properties:',
             '      foo: {get_param: foo}',
             '      replace: {get_param: replace}',
             '      path: %s' % path]
    if depends_on:
        lines.append('    depends_on: [%s]' % depends_on)
    return '\n'.join(lines) + '\n'


def _recorded(index: int) -> str:
    if index == 1:
        value = "{list_join: ['+', [{get_attr: [r0, output]}, r1]]}"
    else:
        value = ("{list_join: ['/', [{get_param: foo}, {get_param: path}, "
                 "%s]]}" % recorded(index))
    wait = WAITS[index]
    lines = ['  %s:' % recorded(index), '    type: %s' % recording.RECORDED,
             '    properties:', '      value: %s' % value,
             '      action_wait_secs: {create: %s, update: %s, delete: %s}'
             % (wait, wait, wait)]
    if recorded(index) == REPLACED:
        lines.append('      update_replace: {get_param: replace}')
    return '\n'.join(lines) + '\n'


def _values_output(names: list[str], attribute: str) -> str:
    return 'outputs:\n  values: {value: [%s]}\n' % ', '.join(
        '{get_attr: [%s, %s]}' % (n, attribute) for n in names)


def leaf_template() -> str:
    """leaf.yaml: ``RECORDED`` recorded resources; output ``values``."""
    return ''.join(
        [templates.HOT, _PARAMETERS, '  path: {type: string}\n',
         'resources:\n'] + [_recorded(i) for i in range(RECORDED)]
        + [_values_output([recorded(i) for i in range(RECORDED)], 'output')])


def mid_template() -> str:
    """mid.yaml: ``LEAVES`` leaf stacks, the last after the first; output
    ``values``: each leaf's ``values``."""
    body = [templates.HOT, _PARAMETERS, '  path: {type: string}\n',
            'resources:\n']
    for i in range(LEAVES):
        path = "{list_join: ['/', [{get_param: path}, l%d]]}" % i
        body.append(_nested(leaf(i), LEAF_TYPE, path,
                            leaf(0) if i == LEAVES - 1 and i else None))
    body.append(_values_output([leaf(i) for i in range(LEAVES)], 'values'))
    return ''.join(body)


def template() -> str:
    """The root: ``MIDS`` mid stacks, the last after the first; one output
    per mid, its ``values``."""
    body = [templates.HOT, _PARAMETERS, 'resources:\n']
    for i in range(MIDS):
        body.append(_nested(mid(i), MID_TYPE, 'm%d' % i,
                            mid(0) if i == MIDS - 1 and i else None))
    body.append('outputs:\n')
    for i in range(MIDS):
        body.append('  %s: {value: {get_attr: [%s, values]}}\n'
                    % (mid(i), mid(i)))
    return ''.join(body)


def files() -> dict:
    return {MID_TYPE: mid_template(), LEAF_TYPE: leaf_template()}


# -- what a converged tree is ----------------------------------------------

def leaf_values(foo: str, path: str) -> list[str]:
    values = ['%s/%s/%s' % (foo, path, recorded(i)) for i in range(RECORDED)]
    values[1] = values[0] + '+r1'
    return values


def expected_outputs(foo: str) -> dict:
    return {mid(m): [leaf_values(foo, 'm%d/l%d' % (m, leaf_index))
                     for leaf_index in range(LEAVES)] for m in range(MIDS)}


def names_at_depth(depth: int) -> set[str]:
    """The resource names of a stack ``depth`` levels below the root."""
    count, name = ((MIDS, mid), (LEAVES, leaf), (RECORDED, recorded))[depth]
    return {name(i) for i in range(count)}


def stack_count() -> int:
    return 1 + MIDS + MIDS * LEAVES


def replaced_on_update(depth: int) -> set[str]:
    """What an update with ``replace`` true replaces in a stack at
    ``depth``: r3 of every leaf, nothing of the nested rows."""
    return {REPLACED} if depth == 2 else set()
