"""Every route of our REST API as an outsider's request on a victim's
things (pure: builds requests, sends none).

A *victim* is a project with a stack (and a nested stack, a resource that
takes signals, an output, events, a snapshot, a software config and
deployment); the *outsider* is a member of another project.  ``probes``
turns each route of ``convergence.api.app.ROUTES`` into the requests the
outsider may try on the victim's things, each with the statuses upstream
Heat 27.0.1 answers:

- in the victim's project URL: 403 (heat-api's ``registered_policy_enforce``
  refuses a token of another project before anything is looked up);
- in the outsider's own project URL with the victim's ids: 404, as Heat's
  engine, whose queries are scoped by the caller's project, answers
  (EntityNotFound, ResourceNotFound, NotFound);
- a route that names nothing of the victim's, in the outsider's own URL,
  is the outsider's own business: a listing must not show the victim's
  things (``LISTINGS``), the rest (``OWN_ONLY``) are not sent.

``ROUTE_PLANS`` says for every (controller, action) of the router which of
these applies; a route it does not know fails ``check_coverage``, so a new
route cannot be left out of the walk unnoticed.
"""

import dataclasses
import re
from urllib import parse

from convergence.api import app

# What a placeholder of a route is filled with (attributes of Victim).
PLACEHOLDERS = frozenset((
    'tenant_id', 'stack_name', 'stack_id', 'resource_name', 'snapshot_id',
    'output_key', 'event_id', 'config_id', 'deployment_id', 'server_id',
    'type_name', 'template_version', 'path'))

# Kinds of route, by what it names.
STACK = 'stack'        # one of the victim's stacks (and its resources...)
ID = 'id'              # one of the victim's configs or deployments by id
LISTING = 'listing'    # the caller's project's collection
OWN_ONLY = 'own_only'  # nothing of anybody else's: only the victim's URL
ARN = 'arn'            # a lookup by ARN: a redirect to the ARN's own URL

_PLACEHOLDER = re.compile(r'\{(\w+)(?::[^{}]*(?:\{[^{}]*\}[^{}]*)*)?\}')
_TINY = {'heat_template_version': '2018-08-31',
         'resources': {'r': {'type': 'OS::Heat::None'}}}


@dataclasses.dataclass(frozen=True)
class Victim:
    """The ids of the victim's things the probes name."""
    tenant_id: str
    stack_name: str
    stack_id: str
    nested_name: str
    nested_id: str
    resource_name: str         # a resource of the stack taking signals
    nested_resource_name: str  # a resource of the nested stack
    event_id: str              # an event of resource_name
    nested_event_id: str       # an event of nested_resource_name
    output_key: str
    snapshot_id: str
    config_id: str
    deployment_id: str
    server_id: str
    type_name: str = 'OS::Heat::TestResource'
    template_version: str = 'heat_template_version.2018-08-31'


@dataclasses.dataclass(frozen=True)
class Probe:
    """One request of the outsider and what it must get."""
    route: tuple            # (controller, action)
    method: str
    path: str               # from /v1/
    body: dict | None
    expect: int             # 403, 404, or 200 for a listing
    where: str              # 'victim' (its URL) or 'own' (the outsider's)

    def __str__(self) -> str:
        return '%s %s (%s:%s, %s URL)' % (self.method, self.path,
                                          self.route[0], self.route[1],
                                          self.where)


def _update_body(v: Victim) -> dict:
    return {'template': _TINY, 'parameters': {}}


# (controller, action) -> (kind, body(victim) or None)
ROUTE_PLANS = {
    ('catalog', 'validate_template'): (OWN_ONLY, lambda v: {
        'template': _TINY}),
    ('catalog', 'list_resource_types'): (OWN_ONLY, None),
    ('catalog', 'resource_schema'): (OWN_ONLY, None),
    ('catalog', 'generate_template'): (OWN_ONLY, None),
    ('catalog', 'list_template_versions'): (OWN_ONLY, None),
    ('catalog', 'list_template_functions'): (OWN_ONLY, None),
    ('catalog', 'build_info'): (OWN_ONLY, None),
    ('catalog', 'list_services'): (OWN_ONLY, None),
    ('stacks', 'index'): (LISTING, None),
    ('stacks', 'detail'): (LISTING, None),
    ('stacks', 'create'): (OWN_ONLY, lambda v: {
        'stack_name': v.stack_name, 'template': _TINY}),
    ('stacks', 'preview'): (OWN_ONLY, lambda v: {
        'stack_name': v.stack_name, 'template': _TINY}),
    ('stacks', 'lookup'): (STACK, lambda v: {}),
    ('stacks', 'show'): (STACK, None),
    ('stacks', 'template'): (STACK, None),
    ('stacks', 'environment'): (STACK, None),
    ('stacks', 'files'): (STACK, None),
    ('stacks', 'update'): (STACK, _update_body),
    ('stacks', 'update_patch'): (STACK, lambda v: {'parameters': {}}),
    ('stacks', 'preview_update'): (STACK, _update_body),
    ('stacks', 'preview_update_patch'): (STACK, lambda v: {
        'parameters': {}}),
    ('stacks', 'delete'): (STACK, None),
    ('stacks', 'abandon'): (STACK, None),
    ('stacks', 'export'): (STACK, None),
    ('stacks', 'snapshot'): (STACK, lambda v: {'name': 'outsider'}),
    ('stacks', 'list_snapshots'): (STACK, None),
    ('stacks', 'show_snapshot'): (STACK, None),
    ('stacks', 'delete_snapshot'): (STACK, None),
    ('stacks', 'restore_snapshot'): (STACK, lambda v: {}),
    ('stacks', 'list_outputs'): (STACK, None),
    ('stacks', 'show_output'): (STACK, None),
    ('graph', 'graph'): (STACK, None),
    ('graph', 'live'): (STACK, None),
    ('resources', 'index'): (STACK, None),
    ('resources', 'show'): (STACK, None),
    ('resources', 'metadata'): (STACK, None),
    ('resources', 'signal'): (STACK, lambda v: {'outsider': 'was here'}),
    ('resources', 'mark_unhealthy'): (STACK, lambda v: {
        'mark_unhealthy': True, 'resource_status_reason': 'outsider'}),
    ('events', 'index'): (STACK, None),
    ('events', 'show'): (STACK, None),
    # one probe per action a body may name (api/resources.py)
    ('actions', 'action'): (STACK, None),
    ('software_configs', 'index'): (LISTING, None),
    ('software_configs', 'create_config'): (OWN_ONLY, lambda v: {
        'name': 'outsider', 'group': 'script', 'config': 'true'}),
    ('software_configs', 'show'): (ID, None),
    ('software_configs', 'delete_config'): (ID, None),
    ('software_deployments', 'index'): (LISTING, None),
    # the victim's server's deployments: the outsider's own are none
    ('software_deployments', 'metadata'): (LISTING, None),
    # a deployment in the outsider's project of the victim's config
    ('software_deployments', 'create_deployment'): (ID, lambda v: {
        'config_id': v.config_id, 'server_id': v.server_id,
        'action': 'CREATE', 'status': 'COMPLETE'}),
    ('software_deployments', 'show'): (ID, None),
    ('software_deployments', 'update_deployment'): (ID, lambda v: {
        'status': 'FAILED', 'status_reason': 'outsider'}),
    ('software_deployments', 'delete_deployment'): (ID, None),
}

# The query strings a listing is also tried with (the victim's ids as
# filters, every project's): ``{name}`` is a Victim field.  A listing of
# every project (``global_tenant``) is Heat's default policy's 403.
LISTING_QUERIES = {
    ('stacks', 'index'): (
        ('?tenant={tenant_id}', 200), ('?id={stack_id}', 200),
        ('?owner_id={stack_id}&show_nested=true', 200),
        ('?stack_name={stack_name}&show_deleted=true&show_hidden=true',
         200),
        ('?global_tenant=true', 403)),
    ('software_configs', 'index'): (('?global_tenant=true', 403),),
    ('software_deployments', 'index'): (('?server_id={server_id}', 200),),
}

# The bodies of POST .../actions, one probe each.
ACTIONS = ({'suspend': None}, {'resume': None}, {'check': None},
           {'cancel_update': None}, {'cancel_without_rollback': None})


class UncoveredRoute(Exception):
    """A route of the router the walk does not know how to probe."""


def routes() -> list[tuple[str, str, str, str]]:
    """(method, path template, controller, action) of every route."""
    found = []
    for methods, path, controller, action, _ in app.ROUTES:
        for method in [methods] if isinstance(methods, str) else methods:
            found.append((method, path, controller, action))
    return found


def check_coverage() -> None:
    """Raise UncoveredRoute naming each route the walk does not cover."""
    missing = []
    for method, path, controller, action in routes():
        if (controller, action) not in ROUTE_PLANS:
            missing.append('%s %s (%s:%s): no plan' % (method, path,
                                                       controller, action))
        unknown = set(_PLACEHOLDER.findall(path)) - PLACEHOLDERS
        if unknown:
            missing.append('%s %s: unknown placeholders %s' % (
                method, path, sorted(unknown)))
    if missing:
        raise UncoveredRoute('; '.join(missing))


def probes(victim: Victim, own_tenant: str) -> list[Probe]:
    """Every request the outsider of ``own_tenant`` tries on ``victim``."""
    check_coverage()
    found = []
    for method, path, controller, action in routes():
        kind, body_of = ROUTE_PLANS[(controller, action)]
        bodies = ([dict(a) for a in ACTIONS]
                  if (controller, action) == ('actions', 'action')
                  else [body_of(victim) if body_of else None])
        for body in bodies:
            for where, tenant in (('victim', victim.tenant_id),
                                  ('own', own_tenant)):
                for filled in _fillings(path, victim, tenant):
                    expect = _expected(kind, where, path)
                    if expect is not None:
                        found.append(Probe((controller, action), method,
                                           filled, body, expect, where))
                    if kind == LISTING and where == 'own':
                        found += _queried(victim, (controller, action),
                                          method, filled)
    return found


def _queried(victim: Victim, route: tuple, method: str,
             path: str) -> list[Probe]:
    values = dataclasses.asdict(victim)
    return [Probe(route, method, path + query.format(**values), None,
                  expect, 'own')
            for query, expect in LISTING_QUERIES.get(route, ())]


def cross_probes(victim: Victim, own_tenant: str, own_stack_name: str,
                 own_stack_id: str) -> list[Probe]:
    """The outsider's own stack (made from the victim's template, so its
    resources have the same names) with the ids of the victim's snapshot
    and events: 404, as the stack has none such (a snapshot restored or an
    event shown by id alone would be the victim's)."""
    found = []
    for method, path, controller, action in routes():
        names = set(_PLACEHOLDER.findall(path))
        if not names & {'snapshot_id', 'event_id'}:
            continue
        _, body_of = ROUTE_PLANS[(controller, action)]
        values = dataclasses.asdict(victim)
        values.update(tenant_id=own_tenant, stack_name=own_stack_name,
                      stack_id=own_stack_id, path=None)
        found.append(Probe(
            (controller, action), method,
            _PLACEHOLDER.sub(lambda m: _quoted(m.group(1), values), path),
            body_of(victim) if body_of else None, 404, 'own'))
    return found


def _expected(kind: str, where: str, template: str) -> int | None:
    if where == 'victim':
        return 403
    if kind == OWN_ONLY:
        return None
    if kind == LISTING:
        return 200
    if kind == STACK and 'arn' in template:
        return 302  # to the ARN's own URL, which then answers 403
    return 404


def _fillings(path: str, victim: Victim, tenant: str) -> list[str]:
    """``path`` filled with the victim's ids (and ``tenant``), once per
    stack it may name (the stack and its nested stack), once per
    alternative of a ``{path:a|b}`` placeholder."""
    names = set(_PLACEHOLDER.findall(path))
    stacks = [(victim.stack_name, victim.stack_id, victim.resource_name,
               victim.event_id)]
    if names & {'stack_id', 'resource_name'}:
        stacks.append((victim.nested_name, victim.nested_id,
                       victim.nested_resource_name, victim.nested_event_id))
    elif 'stack_name' in names:
        # a lookup: by the victim's name and by its id
        stacks = [(victim.stack_name, None, None, None),
                  (victim.stack_id, None, None, None)]
    filled = []
    for stack_name, stack_id, resource_name, event_id in stacks:
        for alternative in _path_alternatives(path):
            values = dataclasses.asdict(victim)
            values.update(tenant_id=tenant, stack_name=stack_name,
                          stack_id=stack_id, resource_name=resource_name,
                          event_id=event_id, path=alternative)
            if 'arn' in path:
                values['stack_name'] = arn(victim)
            filled.append(_PLACEHOLDER.sub(
                lambda m: _quoted(m.group(1), values), path))
    return sorted(set(filled))


def arn(victim: Victim) -> str:
    """The victim stack's ARN, colons quoted as python-heatclient sends
    it."""
    return ('arn%%3Aopenstack%%3Aheat%%3A%%3A%s%%3Astacks/%s/%s'
            % (victim.tenant_id, victim.stack_name, victim.stack_id))


def _quoted(name: str, values: dict) -> str:
    value = values[name]
    if name == 'stack_name' and value.startswith('arn%3A'):
        return value  # quoted already, its slashes kept
    return parse.quote(str(value), safe='')


def _path_alternatives(path: str) -> list[str | None]:
    found = re.search(r'\{path:([^}]*)\}', path)
    return found.group(1).split('|') if found else [None]
