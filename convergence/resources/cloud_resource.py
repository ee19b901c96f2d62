"""What the Nova, Cinder and Glance types share (decision 22).

A type names its service (``service_type``, Heat's ``default_client_name``)
and says how to read its thing from the cloud (``fetch``); every attribute,
``show`` included, is read from that representation (one read per plugin
instance); a delete of something already gone succeeds; a check of
something gone fails naming it.  Waits go through the clock: the runner
polls the ``check_*_complete`` hooks, soon at first and then less often
(``polling``).
"""

from convergence.clients import errors
from convergence.exceptions import StackValidationFailed
from convergence.resources import cloud_lookup
from convergence.resources.base import SHOW_ATTRIBUTE, Resource
from convergence.resources.polling import BackingOff


class ResourceInError(Exception):
    """The cloud reports the resource in an error status (Heat's words:
    ``Went to status <status> due to "<reason>"``)."""

    def __init__(self, status: str, reason: str = 'Unknown'):
        super().__init__('Went to status %s due to "%s"' % (status, reason))


class ResourceUnknownStatus(Exception):
    """The cloud reports a status that is neither done nor in progress."""

    def __init__(self, result: str, status: str):
        super().__init__('%s - Unknown status %s due to "Unknown"'
                         % (result, status))


class CheckFailed(Exception):
    """A check found the resource not as it should be (Heat's
    _verify_check_conditions words; the failure reads ``Error: ...``)."""

    def __init__(self, attr: str, expected, current):
        super().__init__("'%s': expected '%s', got '%s'"
                         % (attr, expected, current))

    @classmethod
    def of(cls, found: list[tuple[str, object, object]]) -> 'CheckFailed':
        """One line per (attr, expected, current), as Heat joins them."""
        error = cls(*found[0])
        error.args = ('\n'.join(str(cls(*each)) for each in found),)
        return error


CheckFailed.__name__ = 'Error'


def refuse_not_implemented(props: dict, names, type_name: str) -> None:
    """Refuse, by name, Heat's properties a type does not implement."""
    asked = sorted(k for k in set(props) & set(names)
                   if props[k] not in (None, [], {}))
    if asked:
        raise StackValidationFailed(
            'Property %s of %s is not implemented here.' % (
                ', '.join(asked), type_name))


class CloudResource(BackingOff, Resource):
    """Base of the cloud types; subclasses give ``fetch``."""

    # What the thing is called in a "could not be found" message.
    entity_label = 'Resource'

    def __init__(self, name, properties, context):
        super().__init__(name, properties, context)
        self._shown: dict | None = None

    def fetch(self) -> dict | None:
        """The cloud's representation of ``resource_id``, None if gone."""
        raise NotImplementedError

    def show_resource(self) -> dict | None:
        """The representation now (kept for the attributes)."""
        if self.resource_id is None:
            return None
        self._shown = self.fetch()
        return self._shown

    def existing(self) -> dict:
        """The representation now.

        Raises:
            errors.NotFound: it is gone (the cloud's words for it).
        """
        shown = self.show_resource()
        if shown is None:
            raise errors.NotFound('%s %s could not be found.' % (
                self.entity_label, self.resource_id), 404)
        return shown

    def lookup(self, constraint: str, value, prop: str) -> dict:
        """What a property names (``cloud_lookup``); fails as Heat's
        validation would."""
        return cloud_lookup.resolve(self.cloud(), constraint, value,
                                    self.name, prop)

    def check_delete_complete(self, token) -> bool:
        return not token or self.show_resource() is None

    def get_reference_id(self) -> str:
        return str(self.resource_id) if self.resource_id else str(self.name)

    def get_attribute(self, name: str) -> object:
        if name == SHOW_ATTRIBUTE:
            return self.attributes()
        return super().get_attribute(name)

    def attributes(self) -> dict | None:
        if self._shown is None:
            self.show_resource()
        return self._shown

    def _resolve_attribute(self, name: str) -> object:
        shown = self.attributes()
        return None if shown is None else shown.get(name)
