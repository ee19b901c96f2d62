"""The stack the fault tests break: independent leaves and chains.

``LEAVES`` independent recorded resources and ``CHAINS`` chains of
``CHAIN_LENGTH`` (each link takes its value from the one before, so a chain
is a strict order of actions).  Every resource waits during create, update
and delete, so a traversal lasts several seconds and a fault always finds
work in flight.  Parameter ``foo`` is every value; ``replace`` true makes
the first ``REPLACED`` leaves be replaced (not updated in place) when
``foo`` changes.
"""

from functional_tests import recording
from functional_tests import templates

LEAVES = 20
CHAINS = 5
CHAIN_LENGTH = 6
REPLACED = 5
# Seconds each action of a chain link waits: a chain takes this times its
# length per traversal.
LINK_WAIT = 1.0


def leaf(index: int) -> str:
    return 'leaf%02d' % index


def link(chain: int, position: int) -> str:
    return 'chain%d_%d' % (chain, position)


def names() -> set[str]:
    """Every resource name of the template."""
    return ({leaf(i) for i in range(LEAVES)}
            | {link(c, p) for c in range(CHAINS) for p in range(CHAIN_LENGTH)})


def replaced_on_update() -> set[str]:
    """The resources an update with ``replace`` true replaces."""
    return {leaf(i) for i in range(REPLACED)}


def _leaf_wait(index: int) -> float:
    """0.5 to 2 s, varied so that leaves finish at different moments."""
    return 0.5 + (index % 4) * 0.5


def _resource(name: str, value: str, wait: float, replace: bool) -> str:
    lines = ['  %s:' % name,
             '    type: %s' % recording.RECORDED,
             '    properties:',
             '      value: %s' % value,
             '      action_wait_secs: {create: %s, update: %s, delete: %s}'
             % (wait, wait, wait)]
    if replace:
        lines.append('      update_replace: {get_param: replace}')
    return '\n'.join(lines) + '\n'


def template() -> str:
    """The HOT template: 50 resources by default, chain ends as outputs."""
    body = [templates.HOT, 'parameters:\n',
            '  foo: {type: string, default: one}\n',
            '  replace: {type: boolean, default: false}\n', 'resources:\n']
    for i in range(LEAVES):
        body.append(_resource(leaf(i), '{get_param: foo}', _leaf_wait(i),
                              replace=i < REPLACED))
    for c in range(CHAINS):
        for p in range(CHAIN_LENGTH):
            value = ('{get_param: foo}' if p == 0 else
                     '{get_attr: [%s, output]}' % link(c, p - 1))
            body.append(_resource(link(c, p), value, LINK_WAIT, False))
    body.append('outputs:\n')
    for c in range(CHAINS):
        body.append('  end%d: {value: {get_attr: [%s, output]}}\n'
                    % (c, link(c, CHAIN_LENGTH - 1)))
    return ''.join(body)


def expected_outputs(foo: str) -> dict:
    return {'end%d' % c: foo for c in range(CHAINS)}


def wide(count: int, create_wait: float = 0, update_wait: float = 0) -> str:
    """``count`` independent recorded leaves valued ``foo`` (so that every
    engine gets some), waiting as given; output ``values`` lists them."""
    body = [templates.HOT, 'parameters:\n',
            '  foo: {type: string, default: one}\n', 'resources:\n']
    for i in range(count):
        body.append('  %s:\n    type: %s\n    properties:\n'
                    '      value: {get_param: foo}\n'
                    '      action_wait_secs: {create: %s, update: %s}\n'
                    % (leaf(i), recording.RECORDED, create_wait, update_wait))
    body.append('outputs:\n  values: {value: [%s]}\n' % ', '.join(
        '{get_attr: [%s, output]}' % leaf(i) for i in range(count)))
    return ''.join(body)
