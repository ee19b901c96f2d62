"""Neutron plugins on the in-memory cloud, built as the engine builds them."""

from convergence.clients import memory
from convergence.exceptions import ResourceFailure
from convergence.resources.base import IN_PLACE
from convergence.resources.runner import run_action
from convergence.tests.unit.resources.utils import make_resource, validated


class OnCloud:
    """A test's cloud and the plugins acting on it."""

    def __init__(self):
        self.cloud = memory.InMemoryCloud()
        self.network = self.cloud.network

    def plugin(self, type_name: str, props: dict, name: str = 'r',
               resource_id: str | None = None):
        res = make_resource(type_name, props, name=name,
                            resource_id=resource_id)
        res.context.cloud_source = lambda: self.cloud
        return res

    def created(self, type_name: str, props: dict, name: str = 'r'):
        res = self.plugin(type_name, props, name)
        run_action(res, 'CREATE', res.context.clock)
        return res

    def updated(self, res, new_props: dict):
        """Run the update the engine would choose; its plan."""
        new = validated(res.context.resource_type or _type_of(res),
                        new_props, res.name)
        plan = res.plan_update(new)
        if plan.decision == IN_PLACE:
            # As the engine runs it: the plugin has the new properties and
            # knows the ones it had.
            res.previous_properties, res.properties = res.properties, new
            run_action(res, 'UPDATE', res.context.clock, new_properties=new,
                       prop_diff=plan.prop_diff)
        return plan

    def updated_as_engine(self, res, new_props: dict):
        """The update as the engine runs it: planned by the plugin of the
        old properties, acted by a plugin of the new ones (the row's
        resource id and data); that plugin and the plan."""
        type_name = res.context.resource_type or _type_of(res)
        new = validated(type_name, new_props, res.name)
        plan = res.plan_update(new)
        acting = make_resource(type_name, new_props, name=res.name,
                               resource_id=res.resource_id,
                               data=dict(res.context.data),
                               clock=res.context.clock)
        acting.context.cloud_source = lambda: self.cloud
        acting.context.files = res.context.files
        acting.context.environment = res.context.environment
        acting.previous_properties = dict(res.properties)
        if plan.decision == IN_PLACE:
            run_action(acting, 'UPDATE', acting.context.clock,
                       new_properties=new, prop_diff=plan.prop_diff)
        return acting, plan

    def failure(self, res, action: str) -> str:
        """The failure text of running ``action``."""
        try:
            run_action(res, action, res.context.clock)
        except ResourceFailure as exc:
            return str(exc)
        raise AssertionError('%s of %s did not fail' % (action, res.name))


def _type_of(res) -> str:
    from convergence import resources
    for name in resources.type_names():
        if resources.get_class(name) is type(res):
            return name
    raise LookupError(type(res))
