"""An ML2 mechanism driver binding every port at once, with no agent.

Nova's fake virt driver plugs nothing, so no L2 agent will ever report a
port up; this driver takes the first segment offered, binds it as an OVS
port and marks the port ACTIVE, which is what Nova waits for.
"""

from neutron_lib.api.definitions import portbindings
from neutron_lib import constants
from neutron_lib.plugins.ml2 import api


class BindEveryPort(api.MechanismDriver):

    def initialize(self):
        """Nothing to connect to."""

    @property
    def connectivity(self):
        return portbindings.CONNECTIVITY_L2

    def bind_port(self, context):
        segments = context.segments_to_bind
        if not segments:
            return
        context.set_binding(
            segments[0][api.ID], portbindings.VIF_TYPE_OVS,
            {portbindings.CAP_PORT_FILTER: True,
             portbindings.OVS_HYBRID_PLUG: False},
            status=constants.PORT_STATUS_ACTIVE)
