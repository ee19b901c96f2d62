"""``GET .../graph`` (the stack's dependency graph as JSON) and
``GET .../live`` (a read-only page drawing it, polling the JSON).

Built from the engine's ``show_stack`` and ``list_stack_resources`` (so
no RPC method of our own) by the pure ``convergence.stack_graph``, which
the ``convergence`` CLI also uses against a heat-api lacking this route.
"""

import importlib.resources

import webob

from convergence import stack_graph
from convergence.api import views
from convergence.api.stacks import stack_identity

# heat-engine's max_nested_stack_depth default: every level a stack can have.
GRAPH_NESTED_DEPTH = 5
_PAGE = importlib.resources.files('convergence.api') / 'static' / 'live.html'


class GraphController:
    """The graph of one stack, as JSON and as a live page."""

    def __init__(self, engine, options: dict) -> None:
        self.engine = engine

    def graph(self, req, ctx, stack_name: str, stack_id: str) -> dict:
        identity = stack_identity(ctx, stack_name, stack_id)
        stack = views.format_stack(
            req, self.engine.show_stack(ctx, identity,
                                        resolve_outputs=False)[0])
        resources = [views.format_resource(req, r)
                     for r in self.engine.list_stack_resources(
                         ctx, identity, nested_depth=GRAPH_NESTED_DEPTH)]
        return {'graph': stack_graph.build(stack, resources)}

    def live(self, req, ctx, stack_name: str, stack_id: str):
        # Checked first, so an unknown stack is Heat's 404, not a page
        # polling for ever.
        self.engine.show_stack(ctx, stack_identity(ctx, stack_name, stack_id),
                               resolve_outputs=False)
        resp = webob.Response(content_type='text/html', charset='utf-8')
        resp.body = _PAGE.read_bytes()
        resp.cache_control = 'no-cache'
        return resp
