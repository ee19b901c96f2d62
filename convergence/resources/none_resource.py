"""OS::Heat::None: a placeholder that accepts anything and does nothing.

Used to stub out other types through the environment's resource_registry.
Any properties are accepted and ignored, any attribute reads as None, and a
changed definition never updates or replaces it (only a change of type does,
and that is decided by the engine).
"""

import uuid

from convergence.resources.base import NO_CHANGE, Resource, UpdatePlan

IS_PLACEHOLDER = 'is_placeholder'


class NoneResource(Resource):
    """Creates a bare UUID as its physical id; delete is a no-op."""

    properties_schema = None
    attributes_schema = {}
    support_version = '5.0.0'
    retry_safe = True

    @classmethod
    def has_attribute(cls, name: str) -> bool:
        return True

    def handle_create(self) -> None:
        self.resource_id_set(str(uuid.uuid4()))
        self.data_set(IS_PLACEHOLDER, 'True')

    def get_attribute(self, name: str) -> object:
        return None

    def plan_update(self, new_properties: dict, *,
                    failed: bool = False) -> UpdatePlan:
        """Never updated nor replaced, whatever changed."""
        return UpdatePlan(NO_CHANGE, {})
