"""The pure rules of sync points: who needs one, what a trigger carries."""


def needs_sync_point(in_degree: int) -> bool:
    """A node waits at a sync point only when it has several predecessors."""
    return in_degree > 1


def trigger_data(inputs: dict, is_update: bool) -> dict:
    """The ``data`` a node's trigger carries, from its predecessors' reports.

    Update nodes get each predecessor's NodeData by logical name (what
    get_resource and get_attr resolve from); cleanup nodes need only to know
    that their predecessors are done.
    """
    if not is_update:
        return {}
    return {node_data['name']: node_data
            for node_data in inputs.values() if node_data}
