"""The worker RPC endpoint (topic ``engine_worker``).

A ``check_resource`` cast returns at once: the node runs in its own green
thread, so one engine keeps thousands of resources in flight and a slow
resource action never holds an RPC executor thread.
"""

import oslo_messaging

from convergence.rpc.client import WORKER_API_VERSION
from convergence.worker import check_resource


class WorkerEndpoint:
    target = oslo_messaging.Target(version=WORKER_API_VERSION)

    def __init__(self, rt):
        self.rt = rt

    def check_resource(self, ctxt, resource_id, traversal_id, data,
                       is_update):
        self.rt.spawn(check_resource.check_resource, self.rt, resource_id,
                      traversal_id, data, is_update)

    def cancel_check_resource(self, ctxt, stack_id):
        self.rt.cancels.cancel(stack_id)
