"""The benchmark's templates: N resources in one of three dependency shapes.

Pure and standard-library only: the Heat driver imports this module from
Heat's own virtualenv, so both engines run byte-for-byte the same templates.
"""

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
