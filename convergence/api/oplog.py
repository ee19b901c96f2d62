"""One INFO line per stack operation the API is asked for.

Who (user and tenant), what (create, update, delete, abandon, or the action
POSTed to ``/actions``), which stack (name/id), the request id (the engine's
context carries it too), the outcome (the HTTP status, and the error's type
when refused) and how long the API took to answer.  The engine then runs
the operation's traversal; its verdict is the stack's status.
"""

import json
import logging

import webob

from convergence.rpc.context import RequestContext

LOG = logging.getLogger(__name__)

# Controller methods that start (or stop) an operation on a stack.
OPERATIONS = {'create': 'create', 'update': 'update',
              'update_patch': 'update (patch)', 'delete': 'delete',
              'abandon': 'abandon', 'action': 'action'}


def operation(method_name: str, args: dict) -> str | None:
    """What the request asks of a stack, None if it is not an operation."""
    what = OPERATIONS.get(method_name)
    body = args.get('body')
    if what == 'action' and isinstance(body, dict) and len(body) == 1:
        return next(iter(body))
    return what


def stack_of(args: dict, resp: webob.Response) -> str:
    """``name/id`` as the URL names it; a created stack's from its link."""
    name = args.get('stack_name')
    if name is None and isinstance(args.get('body'), dict):
        name = args['body'].get('stack_name')
    stack_id = args.get('stack_id')
    if stack_id is None and resp.location:
        stack_id = resp.location.rstrip('/').rsplit('/', 1)[-1]
    return '%s/%s' % (name or '-', stack_id or '-')


def outcome(resp: webob.Response) -> str:
    """The status, and the error type of a refused request."""
    if resp.status_code < 400:
        return resp.status
    try:
        error_type = json.loads(resp.body)['error']['type']
    except (ValueError, KeyError, TypeError):
        return resp.status
    return '%s %s' % (resp.status, error_type)


def record(ctx: RequestContext, method_name: str, args: dict,
           resp: webob.Response, seconds: float) -> None:
    """Log the line for a stack operation (nothing for other requests)."""
    what = operation(method_name, args)
    if what is None:
        return
    LOG.info('stack %s by %s (tenant %s) on %s [%s]: %s in %.3f s',
             what, ctx.username, ctx.project_id, stack_of(args, resp),
             ctx.request_id, outcome(resp), seconds)
