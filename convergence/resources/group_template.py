"""The child stack of a group resource (ResourceGroup, ResourceChain): pure.

A group's child template holds its members, named ``"0"``, ``"1"``...,
and declares an output for each attribute the parent template reads of
the group (``referenced``), as Heat's ``_nested_output_defns`` does.  The
group then answers ``get_attr`` from the child's outputs alone:

====================  ==================================================
``refs``              the members' reference ids, in member order
``refs_map``          member name -> reference id (ResourceGroup only)
``attributes``        attribute -> member name -> value; the ``get_attr``
                      path picks the attribute (``[g, attributes, a]``)
``resource.N``        member N's reference id
``resource.N.a``      member N's attribute ``a`` (``resource.N.a.b``: its
                      attribute ``a.b``)
anything else         that attribute of every member, as a list
====================  ==================================================

The engine tells a plugin which attribute *names* are read, not the paths
after them, so ``attributes`` holds every attribute of every member
(transposed, so that a one-key path selects as Heat's ``{member: value}``)
and ``[g, resource.N, a]`` reads the reference id, not the attribute.
"""

from collections.abc import Iterable

from convergence import exceptions
from convergence.template.reference_functions import ALL_ATTRIBUTES
from convergence.template.reference_functions import MEMBER_PREFIX

# The child template's version: the first where ``get_attr: [r]`` reads
# every attribute of ``r`` (what the ``attributes`` output needs).
CHILD_VERSION = '2015-10-15'

REFS, REFS_MAP, ATTRIBUTES = 'refs', 'refs_map', 'attributes'


def member(type_name: str, properties: dict | None = None,
           metadata: dict | None = None,
           depends_on: list[str] | None = None) -> dict:
    """One member's resource snippet in the child template."""
    snippet = {'type': type_name}
    if properties:
        snippet['properties'] = properties
    if metadata:
        snippet['metadata'] = metadata
    if depends_on:
        snippet['depends_on'] = list(depends_on)
    return snippet


def template(members: list[tuple[str, dict]], outputs: dict) -> dict:
    """The child template of ``members`` (name, snippet) with ``outputs``
    (name -> value snippet)."""
    child = {'heat_template_version': CHILD_VERSION,
             'resources': dict(members)}
    if outputs:
        child['outputs'] = {name: {'value': value}
                            for name, value in outputs.items()}
    return child


def member_ref(name: str) -> tuple[str, str] | None:
    """``resource.N`` -> (N, ''), ``resource.N.a`` -> (N, 'a'); None for
    an attribute that names no member."""
    if not name.startswith(MEMBER_PREFIX):
        return None
    parts = name.split('.', 2)
    return parts[1], (parts[2] if len(parts) > 2 else '')


def outputs(referenced: Iterable[str], names: list[str],
            own: Iterable[str], *, with_refs_map: bool) -> dict:
    """Output name -> value snippet for the attributes ``referenced``.

    ``own``: the group's declared attribute names (what ``*`` stands for);
    ``with_refs_map``: the group reads ``resource.N`` from ``refs_map``
    (ResourceGroup), which it then always declares.
    """
    own = set(own)
    wanted = set(referenced)
    if ALL_ATTRIBUTES in wanted:
        wanted = (wanted - {ALL_ATTRIBUTES}) | own
    found = {}
    for key in sorted(wanted):
        value = _output_value(key, names, own, with_refs_map)
        if value is not None:
            found[key] = value
    if with_refs_map:
        found[REFS_MAP] = {n: {'get_resource': n} for n in names}
    return found


def _output_value(key: str, names: list[str], own: set, with_refs_map: bool):
    target = member_ref(key)
    if target is not None:
        res_name, attr = target
        if res_name not in names or (with_refs_map and not attr):
            return None
        if not attr:
            return {'get_resource': res_name}
        return {'get_attr': [res_name, attr]}
    if key == REFS:
        return [{'get_resource': n} for n in names]
    if key == ATTRIBUTES:
        return {n: {'get_attr': [n]} for n in names}
    if key in own:
        return None
    return [{'get_attr': [n, key]} for n in names]


def attribute(child_outputs: dict, key: str, group: str, *,
              with_refs_map: bool):
    """The group's attribute ``key`` read from its child's outputs.

    Raises:
        NotFound: ``resource.N`` names no member (Heat's wording).
    """
    target = member_ref(key)
    if target is not None and with_refs_map and not target[1]:
        refs = child_outputs.get(REFS_MAP) or {}
        if target[0] not in refs:
            raise exceptions.NotFound(
                message="Member '%s' not found in group resource '%s'."
                        % (target[0], group))
        return refs[target[0]]
    value = child_outputs.get(key)
    if key == ATTRIBUTES:
        return transposed(value or {})
    return value


def transposed(by_member: dict) -> dict:
    """{member: {attr: value}} -> {attr: {member: value}}."""
    by_attr: dict = {}
    for name, attrs in by_member.items():
        for attr, value in (attrs or {}).items():
            by_attr.setdefault(attr, {})[name] = value
    return by_attr
