"""Convergence against reality: what a check compares, and what the next
update starts from (decision 26).

A cloud type that observes reality gives two views of the properties it
watches (Heat's parse_live_resource_data covers the same ones):
``expected_live()``, what the template asks in a form the cloud can be
compared with, and ``live_properties(shown)``, what the cloud holds now in
the same form.  A check that finds them different fails naming each
property (``'name': expected 'a', got 'b'``) and records their names in the
resource's data (``DRIFTED``).  The next update of that CHECK_FAILED
resource looks again: gone, it is replaced (recreated); still there, its
stored properties take the values the cloud holds, so that the usual plan
updates in place what can change in place (a port's fixed IPs, a server's
flavor by a resize) and replaces what cannot.  A resource marked unhealthy
by a user carries no record and is replaced, as in Heat.
"""

from convergence.resources.cloud_resource import CheckFailed

# The data key naming the properties a check found changed.
DRIFTED = 'check_drifted'


def differences(plugin, shown: dict) -> list[tuple[str, object, object]]:
    """(property, expected, current) for each watched property that the
    cloud holds otherwise than the template asks."""
    expected = plugin.expected_live()
    live = plugin.live_properties(shown)
    return [(name, expected[name], live.get(name))
            for name in sorted(expected)
            if not _same(expected[name], live.get(name))]


def check(plugin, shown: dict) -> None:
    """Fail the check naming what changed behind the stack's back, and
    remember it for the next update; a clean check forgets it.

    Raises:
        CheckFailed: one line per changed property.
    """
    found = differences(plugin, shown)
    if not found:
        plugin.data_delete(DRIFTED)
        return
    plugin.data_set(DRIFTED, [name for name, _, _ in found])
    raise CheckFailed.of(found)


def drifted(plugin) -> bool:
    """Whether the resource's last check found it changed (not gone)."""
    return bool(plugin.data_get(DRIFTED))


def as_observed(plugin) -> dict | None:
    """The plugin's properties with what the cloud holds now for each
    watched property that differs; None when the resource is gone."""
    shown = plugin.show_resource()
    if shown is None:
        return None
    observed = dict(plugin.properties)
    live = plugin.live_properties(shown)
    for name, _, _ in differences(plugin, shown):
        observed[name] = live.get(name)
    return observed


def _same(expected, current) -> bool:
    if isinstance(expected, list) and isinstance(current, list):
        return sorted(map(repr, expected)) == sorted(map(repr, current))
    return expected == current
