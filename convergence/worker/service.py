"""The worker RPC endpoint (topic ``engine_worker``).

A ``check_resource`` cast returns at once: the node runs in its own green
thread (started by the engine's node dispatcher, convergence/worker/
dispatch.py), so one engine keeps thousands of resources in flight and a slow
resource action never holds an RPC executor thread.
"""

import oslo_messaging

from convergence.rpc.client import WORKER_API_VERSION
from convergence.worker import check_resource


class WorkerEndpoint:
    target = oslo_messaging.Target(version=WORKER_API_VERSION)

    def __init__(self, rt, dispatcher=None):
        self.rt = rt
        # A worker.dispatch.NodeDispatcher: nodes run a bounded number at a
        # time, stacks in turn.  Without one each node starts at once.
        self._dispatcher = dispatcher

    def check_resource(self, ctxt, resource_id, traversal_id, data,
                       is_update):
        args = (self.rt, resource_id, traversal_id, data, is_update)
        if self._dispatcher is None:
            self.rt.spawn(check_resource.check_resource, *args)
        else:
            self._dispatcher.submit(traversal_id,
                                    check_resource.check_resource, *args)

    def cancel_check_resource(self, ctxt, stack_id):
        # Sent after the superseding traversal started: spare its nodes.
        stack = self.rt.db.stack_get(stack_id)
        self.rt.cancels.cancel(
            stack_id, stack['current_traversal'] if stack else None)
