"""Building plugin instances the way the engine does, on a FakeClock."""

import uuid

import convergence.resources as resources
from convergence.resources.base import ResourceContext
from convergence.resources.clock import FakeClock
from convergence.resources.properties import validate_properties

RESOURCE_UUID = 'a3e1c8a2-5b5f-4d1e-9c3b-7f1e2d3c4b5a'
SHORT_ID = '2hs3l6r6dsfc'  # what Heat's short_id gives for RESOURCE_UUID


def make_resource(type_name: str, props: dict | None = None,
                  name: str = 'r', clock: FakeClock | None = None,
                  **context_args):
    """Validate ``props`` and construct a plugin in stack ``st``."""
    cls = resources.get_class(type_name)
    context_args.setdefault('resource_uuid', RESOURCE_UUID)
    context = ResourceContext(stack_name='st', stack_id=str(uuid.uuid4()),
                              resource_name=name,
                              clock=clock or FakeClock(), **context_args)
    values = validate_properties(cls, name, props or {}, clock=context.clock)
    return cls(name, values, context)


def validated(type_name: str, props: dict, name: str = 'r') -> dict:
    return validate_properties(resources.get_class(type_name), name, props)
