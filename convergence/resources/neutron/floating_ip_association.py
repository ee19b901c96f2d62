"""OS::Neutron::FloatingIPAssociation: an existing floating IP associated
with a port, with Heat 27's properties.

Every property changes in place: a new ``floatingip_id`` first dissociates
the old floating IP, then the new one is associated with the port
(``fixed_ip_address`` choosing among the port's addresses).  A delete
dissociates the floating IP; one already gone is no error.  As in Heat the
resource's own id is its physical id (here its uuid), and a check asks
Neutron whether the floating IP is still associated with the port (at the
template's fixed IP, when it names one): dissociated or moved behind the
stack's back, the check fails naming it and the next update associates it
again in place (decision 34).  As for
FloatingIP, the router interface the association needs is a dependency
the template says (``depends_on``).
"""

from convergence.clients import errors
from convergence.resources import constraints as constr
from convergence.resources import live_state
from convergence.resources.neutron import base
from convergence.resources.properties import STRING, Schema

FLOATINGIP_ID, PORT_ID, FIXED_IP_ADDRESS = (
    'floatingip_id', 'port_id', 'fixed_ip_address')
# The resource data key of the floating IP associated last: an update's
# plugin has the new properties only.
ASSOCIATED = 'floatingip_id'


class FloatingIPAssociation(base.NeutronResource):
    """A floating IP's association with a port."""

    entity = 'floatingip'

    properties_schema = {
        FLOATINGIP_ID: Schema(STRING, 'ID of the floating IP to associate.',
                              required=True, update_allowed=True),
        PORT_ID: Schema(STRING, 'ID of an existing port with at least one '
                        'IP address to associate with this floating IP.',
                        required=True, update_allowed=True, constraints=[
                            constr.CustomConstraint('neutron.port')]),
        FIXED_IP_ADDRESS: Schema(STRING, 'IP address to use if the port has '
                                 'multiple addresses.', update_allowed=True,
                                 constraints=[
                                     constr.CustomConstraint('ip_addr')]),
    }
    attributes_schema = {}

    def show_resource(self) -> dict | None:
        """The floating IP's representation (the association's)."""
        if self.resource_id is None:
            return None
        self._shown = self.network().show('floatingip', self._associated())
        return self._shown

    def _associated(self) -> str:
        return self.data_get(ASSOCIATED) or self.properties[FLOATINGIP_ID]

    def _associate(self, floatingip_id: str, port: str,
                   fixed_ip: str | None) -> None:
        body = {PORT_ID: self.find_id('port', port, PORT_ID)}
        if fixed_ip:
            body[FIXED_IP_ADDRESS] = fixed_ip
        self.network().update('floatingip', floatingip_id, body)
        self.data_set(ASSOCIATED, floatingip_id)

    def _dissociate(self, floatingip_id: str) -> None:
        try:
            self.network().update('floatingip', floatingip_id,
                                  {PORT_ID: None})
        except errors.NotFound:
            pass  # gone: nothing is associated any more

    def handle_create(self):
        props = self.properties
        self._associate(props[FLOATINGIP_ID], props[PORT_ID],
                        props.get(FIXED_IP_ADDRESS))
        self.resource_id_set(self.context.resource_uuid)

    def check_create_complete(self, token) -> bool:
        return True

    def handle_update(self, new_properties: dict, prop_diff: dict):
        if self._associated() != new_properties[FLOATINGIP_ID]:
            self._dissociate(self._associated())
        self._associate(new_properties[FLOATINGIP_ID],
                        new_properties[PORT_ID],
                        new_properties.get(FIXED_IP_ADDRESS))
        self.properties = new_properties

    def check_update_complete(self, token) -> bool:
        return True

    def handle_delete(self):
        if self.resource_id is not None:
            self._dissociate(self._associated())

    def check_delete_complete(self, token) -> bool:
        return True

    def handle_check(self):
        floating = self.show_resource()
        if floating is None:
            raise errors.NotFound('Floating IP %s could not be found.'
                                  % self._associated(), 404)
        live_state.check(self, floating)

    def expected_live(self) -> dict:
        expected = {PORT_ID: self.find_id('port', self.properties[PORT_ID],
                                          PORT_ID)}
        if self.properties.get(FIXED_IP_ADDRESS):
            expected[FIXED_IP_ADDRESS] = self.properties[FIXED_IP_ADDRESS]
        return expected

    def live_properties(self, shown: dict) -> dict:
        return {PORT_ID: shown.get(PORT_ID),
                FIXED_IP_ADDRESS: shown.get(FIXED_IP_ADDRESS)}
