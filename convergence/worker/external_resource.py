"""A resource with ``external_id`` (HOT 2016-10-14 on): one the stack only
refers to.

As Heat: its create adopts the named resource instead of making one, then
checks it when the type can check (a type that cannot is taken on trust);
its properties are not used; an update never touches it, and refuses to
change ``external_id`` (to, from or between values); a delete leaves the
resource where it is (upstream 27.0.1 runs the type's handle_delete, but
the resource survives there too: measured with OS::Neutron::Net on the
local cloud).  docs/architecture.md, decision 27.
"""

from convergence import resource as rsrc_ops
from convergence import states

Action = states.Action


def adopt(plugin, external_id: str) -> str | None:
    """Take the resource over: None, or why it failed (an adopt without an
    id, or a failed check: a resource that is not there)."""
    failure = rsrc_ops.run_plugin_action(
        plugin, Action.ADOPT, resource_data={'resource_id': external_id})
    if failure is None and type(plugin).supports_check():
        failure = rsrc_ops.run_plugin_action(plugin, Action.CHECK)
    return failure


def changed(old_defn, new_defn) -> bool:
    """Whether an update changes the resource's ``external_id``; a row
    whose own definition is unknown counts as not external before."""
    before = None if old_defn is None else old_defn.external_id
    return before != new_defn.external_id


def update_refusal(name: str, type_name: str) -> str:
    """Heat's failure of an update that changes ``external_id``."""
    return ('NotSupported: resources.%s: Update to property external_id of '
            '%s (%s) is not supported.' % (name, name, type_name))


def nested_refusal(name: str, type_name: str) -> str:
    """Why a nested stack resource cannot be external: its child stack
    would have to be adopted whole, which an id does not describe."""
    return ('NotSupported: resources.%s: external_id of a nested stack '
            'resource (%s) is not supported.' % (name, type_name))
