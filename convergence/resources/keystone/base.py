"""What every Keystone type shares, as Heat's Keystone plugins do it.

A type names its Keystone ``kind`` (domain, project, user...); an unset
``name`` is the physical resource name, at create and when an update
clears it; ``show`` is Keystone's representation and every attribute is
read from it; a delete of something already gone succeeds; a check fails
when it is gone.
"""

from convergence.resources.cloud_resource import CloudResource
from convergence.resources.keystone import constraints


class KeystoneResource(CloudResource):
    """Base of the Keystone types; ``kind`` is Keystone's resource kind."""

    service_type = 'identity'
    default_client_name = 'keystone'
    kind = ''

    def identity(self):
        """The stack's Keystone (cloud_ports.IdentityAPI)."""
        return self.cloud().identity

    def fetch(self) -> dict | None:
        return self.identity().show(self.kind, self.resource_id)

    def resolve_id(self, kind: str, value, prop: str) -> str | None:
        """The id of what a property names (None stays None)."""
        if value is None:
            return None
        return constraints.resolve_id(self, kind, value, prop)

    def name_or_default(self, name) -> str:
        return name or self.physical_resource_name()

    def create_from(self, attrs: dict) -> dict:
        """Create the thing from ``attrs`` (None values dropped) and keep
        its id."""
        made = self.identity().create(
            self.kind, {k: v for k, v in attrs.items() if v is not None})
        self.resource_id_set(made['id'])
        return made

    def update_with(self, attrs: dict) -> None:
        """Change the fields of ``attrs`` that are not None (none: no
        call, Keystone refuses an empty update)."""
        attrs = {k: v for k, v in attrs.items() if v is not None}
        if attrs:
            self.identity().update(self.kind, self.resource_id, attrs)

    def handle_delete(self):
        if self.resource_id is not None:
            self.identity().delete(self.kind, self.resource_id)
        return None

    def handle_check(self):
        self.existing()
