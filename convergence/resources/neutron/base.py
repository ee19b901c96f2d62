"""What every Neutron type shares, as Heat's NeutronResource does it.

A type names its Neutron ``entity`` (network, subnet, port...); its
properties become the request body (None dropped, ``value_specs`` merged in,
an unset ``name`` given the physical resource name); create and update wait
through the clock until the resource is built (ACTIVE or DOWN; ERROR fails
it); a delete of something already gone succeeds; a check asks Neutron and
fails when the resource is gone or in ERROR, or when a property it
``observes`` differs from what Neutron holds (``live_state``); ``show`` is
Neutron's own representation and every attribute is read from it.
"""

from convergence.clients import errors
from convergence.exceptions import StackValidationFailed
from convergence.resources import live_state
from convergence.resources.base import SHOW_ATTRIBUTE, Resource
from convergence.resources.polling import BackingOff
from convergence.resources.failures import resource_failure
from convergence.resources.neutron import constraints
from convergence.resources.properties import MAP, Schema
from convergence.template.unresolved import contains_unresolved

VALUE_SPECS = 'value_specs'


def value_specs_schema(description: str, update_allowed: bool = True):
    return Schema(MAP, description, default={},
                  update_allowed=update_allowed)


class ResourceInError(Exception):
    """Neutron reports the resource in status ERROR."""


class ResourceUnknownStatus(Exception):
    """Neutron reports a status that is neither built nor building."""


class NeutronResource(BackingOff, Resource):
    """Base of the Neutron types; ``entity`` is Neutron's resource kind."""

    service_type = 'network'
    default_client_name = 'neutron'
    entity = ''
    support_version = '2014.1'
    # The properties a check compares with Neutron's fields of the same
    # names (the template's value; an unset name is the physical name).
    observes: tuple[str, ...] = ()

    def __init__(self, name, properties, context):
        super().__init__(name, properties, context)
        self._shown: dict | None = None

    # --- validation ---

    @classmethod
    def check_properties(cls, resource_name: str, props: dict) -> None:
        """Heat's rule: value_specs may not set a declared property, nor
        shared or tenant_id."""
        specs = props.get(VALUE_SPECS)
        if not isinstance(specs, dict) or contains_unresolved(specs):
            return
        banned = {'shared', 'tenant_id'} | set(cls.properties_schema)
        for key in sorted(banned & set(specs)):
            raise StackValidationFailed('%s not allowed in value_specs'
                                        % key)

    # --- the cloud ---

    def network(self):
        """The stack's Neutron (cloud_ports.NetworkAPI)."""
        return self.cloud().network

    def find_id(self, kind: str, value: str, prop: str) -> str:
        """The id of the ``kind`` a property names by name or id.

        Raises:
            ResourceFailure: none or several match (Heat's wording).
        """
        try:
            found = self.network().find(kind, value)
        except errors.Ambiguous as exc:
            reason = str(exc)
        else:
            if found is not None:
                return found['id']
            reason = constraints.not_found(kind, value)
        raise resource_failure(
            self.name, 'StackValidationFailed',
            "Property error: %s.properties.%s: Error validating value "
            "'%s': %s" % (self.name, prop, value, reason))

    def body(self, props: dict) -> dict:
        """Heat's prepare_properties: the request body of a create."""
        body = {k: v for k, v in props.items()
                if v is not None and k != VALUE_SPECS}
        if 'name' in self.properties_schema:
            body.setdefault('name', self.physical_resource_name())
        body.update(props.get(VALUE_SPECS) or {})
        return body

    def update_body(self, prop_diff: dict) -> dict:
        """Heat's prepare_update_properties: the changed properties, the
        value_specs merged in, a name unset again the physical name."""
        body = dict(prop_diff)
        specs = body.pop(VALUE_SPECS, None)
        body.update(specs or {})
        if 'name' in body and body['name'] is None:
            body['name'] = self.physical_resource_name()
        return body

    def show_resource(self) -> dict | None:
        """Neutron's representation now; None when it is gone."""
        if self.resource_id is None:
            return None
        self._shown = self.network().show(self.entity, self.resource_id)
        return self._shown

    def is_built(self, attributes: dict | None) -> bool:
        """Heat's is_built: BUILD waits, ACTIVE or DOWN is done."""
        if attributes is None:
            raise errors.NotFound('%s %s could not be found.' % (
                self.entity.replace('_', ' ').capitalize(),
                self.resource_id), 404)
        status = attributes.get('status')
        if status is None or status in ('ACTIVE', 'DOWN'):
            return True  # a kind without a status is built once made
        if status == 'BUILD':
            return False
        if status == 'ERROR':
            raise ResourceInError('Went to status ERROR due to "Unknown"')
        raise ResourceUnknownStatus('Resource is not built - Unknown status '
                                    '%s due to "Unknown"' % status)

    # --- actions ---

    def create_body(self) -> dict:
        """The request body of a create (types add their translations)."""
        return self.body(self.properties)

    def handle_create(self):
        made = self.network().create(self.entity, self.create_body())
        self.resource_id_set(made['id'])
        return made

    def check_create_complete(self, token) -> bool:
        return self.is_built(self.show_resource())

    def resume_create(self):
        return None  # check_create_complete reads the thing itself

    @classmethod
    def resumes_create(cls) -> bool:
        # Only the plain create (one request, then the wait) resumes; a
        # type doing more after it (a security group's rules) cannot.
        return cls.handle_create is NeutronResource.handle_create

    def handle_update(self, new_properties: dict, prop_diff: dict):
        body = self.update_body(prop_diff)
        if body:
            self.network().update(self.entity, self.resource_id, body)
        return body

    def check_update_complete(self, token) -> bool:
        return self.is_built(self.show_resource())

    def handle_delete(self):
        if self.resource_id is None:
            return None
        return self.network().delete(self.entity, self.resource_id) or None

    def check_delete_complete(self, token) -> bool:
        return not token or self.show_resource() is None

    def handle_check(self):
        shown = self.show_resource()
        self.is_built(shown)
        live_state.check(self, shown)

    def expected_live(self) -> dict:
        """What the template asks of each observed property it sets."""
        expected = {name: self.properties.get(name)
                    for name in self.observes
                    if self.properties.get(name) is not None}
        if 'name' in self.observes and 'name' not in expected:
            expected['name'] = self.physical_resource_name()
        return expected

    def live_properties(self, shown: dict) -> dict:
        """Neutron's values of the observed properties."""
        return {name: shown.get(name) for name in self.observes}

    # --- attributes ---

    def get_reference_id(self) -> str:
        return str(self.resource_id) if self.resource_id else str(self.name)

    def get_attribute(self, name: str) -> object:
        if name == SHOW_ATTRIBUTE:
            return self._attributes()
        return super().get_attribute(name)

    def _attributes(self) -> dict | None:
        if self._shown is None:
            self.show_resource()
        return self._shown

    def _resolve_attribute(self, name: str) -> object:
        attributes = self._attributes()
        return None if attributes is None else attributes.get(name)
