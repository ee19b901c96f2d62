"""The benchmark's templates: N resources in one of three dependency shapes,
and nested workloads (a tree of provider templates, a ResourceGroup).

Pure and standard-library only: the Heat driver imports this module from
Heat's own virtualenv, so both engines run byte-for-byte the same templates.
"""

import json

SHAPES = ('independent', 'chain', 'layered')
# Layered: layers of this many resources, each depending on every resource
# of the layer before (N=500: 50 layers, 4,900 edges).
LAYER_WIDTH = 10
NONE_TYPE = 'OS::Heat::None'
TEST_TYPE = 'OS::Heat::TestResource'
# The property every resource carries; the update changes it everywhere.
VALUE_BEFORE, VALUE_AFTER = 'v1', 'v2'


def name(index: int) -> str:
    return 'r%05d' % index


def depends_on(shape: str, index: int) -> list[str]:
    """The names resource ``index`` depends on in ``shape``."""
    if shape == 'independent' or index == 0:
        return []
    if shape == 'chain':
        return [name(index - 1)]
    if shape == 'layered':
        layer = index // LAYER_WIDTH
        if layer == 0:
            return []
        first = (layer - 1) * LAYER_WIDTH
        return [name(i) for i in range(first, first + LAYER_WIDTH)]
    raise ValueError('unknown shape %r (one of %s)' % (shape, ', '.join(SHAPES)))


def edges(shape: str, n: int) -> int:
    return sum(len(depends_on(shape, i)) for i in range(n))


def template(shape: str, n: int, value: str | None = VALUE_BEFORE,
             rtype: str = NONE_TYPE, properties: dict | None = None) -> dict:
    """A HOT template of ``n`` resources of ``rtype`` wired as ``shape``.

    Every resource gets ``properties`` plus ``value`` unless that is None.
    """
    resources = {}
    for i in range(n):
        props = dict(properties or {})
        if value is not None:
            props['value'] = value
        body = {'type': rtype, 'properties': props}
        deps = depends_on(shape, i)
        if deps:
            body['depends_on'] = deps
        resources[name(i)] = body
    return {'heat_template_version': '2018-08-31', 'resources': resources}


def thousands_template(n: int, create_wait: float) -> dict:
    """``n`` independent TestResources that each take ``create_wait`` s."""
    return template('independent', n, value=None, rtype=TEST_TYPE,
                    properties={'action_wait_secs': {'create': create_wait}})


# --- nested workloads: stacks of stacks ---------------------------------------
#
# ``tree``: a root of provider-template resources (``mid.yaml``), each a
# stack of ``leaf_group.yaml`` resources, each a stack of OS::Heat::None
# leaves.  The value every leaf carries is the root's property, passed down
# as a parameter at each level, so an update changes every leaf through two
# levels of parameters.  ``group``: one OS::Heat::ResourceGroup of N
# OS::Heat::None members; the update changes the members' resource_def.

NESTED_SHAPES = ('tree', 'group')
MID_FILE, LEAF_FILE = 'mid.yaml', 'leaf_group.yaml'
GROUP_TYPE = 'OS::Heat::ResourceGroup'
HOT_VERSION = '2018-08-31'
# (mid stacks under the root, leaf groups per mid, leaves per group) by the
# number of leaves; 8 is the warm-up.
TREE_FANOUT = {8: (2, 2, 2), 100: (5, 5, 4), 1000: (10, 10, 10)}


def tree_fanout(leaves: int) -> tuple[int, int, int]:
    try:
        return TREE_FANOUT[leaves]
    except KeyError:
        raise ValueError('no tree of %d leaves (sizes: %s)' % (
            leaves, ', '.join(map(str, sorted(TREE_FANOUT))))) from None


def nested_stacks(shape: str, leaves: int) -> int:
    """How many stacks the workload makes, the root included."""
    if shape == 'tree':
        mids, groups, _ = tree_fanout(leaves)
        return 1 + mids + mids * groups
    if shape == 'group':
        return 2
    raise ValueError('unknown nested shape %r (one of %s)' % (
        shape, ', '.join(NESTED_SHAPES)))


def nested_workload(shape: str, leaves: int,
                    value: str = VALUE_BEFORE) -> tuple[dict, dict]:
    """The root template and its files (name -> JSON text) of ``shape``."""
    if shape == 'tree':
        return _tree(leaves, value)
    if shape == 'group':
        return _group(leaves, value), {}
    raise ValueError('unknown nested shape %r (one of %s)' % (
        shape, ', '.join(NESTED_SHAPES)))


def _tree(leaves: int, value: str) -> tuple[dict, dict]:
    mids, groups, per_group = tree_fanout(leaves)
    mid = _passing_value('g%02d', groups, LEAF_FILE)
    leaf_group = _passing_value('r%02d', per_group, NONE_TYPE)
    root = {'heat_template_version': HOT_VERSION, 'resources': {
        'm%02d' % i: {'type': MID_FILE, 'properties': {'value': value}}
        for i in range(mids)}}
    return root, {MID_FILE: json.dumps(mid, sort_keys=True),
                  LEAF_FILE: json.dumps(leaf_group, sort_keys=True)}


def _passing_value(pattern: str, count: int, rtype: str) -> dict:
    """A template of ``count`` resources given its ``value`` parameter."""
    return {'heat_template_version': HOT_VERSION,
            'parameters': {'value': {'type': 'string'}},
            'resources': {pattern % i: {
                'type': rtype, 'properties': {'value': {'get_param': 'value'}}}
                for i in range(count)}}


def _group(members: int, value: str) -> dict:
    return {'heat_template_version': HOT_VERSION, 'resources': {'group': {
        'type': GROUP_TYPE, 'properties': {
            'count': members,
            'resource_def': {'type': NONE_TYPE,
                             'properties': {'value': value}}}}}}
