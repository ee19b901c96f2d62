"""How payloads and contexts cross the message bus: plain JSON.

Entities go through ``jsonutils.to_primitive`` (datetimes become ISO
strings, sets become lists), the context travels as ``to_dict()`` and comes
back as a ``RequestContext``.  This matches Heat's
``RequestContextSerializer(JsonPayloadSerializer())`` pairing.
"""

from typing import Any

import oslo_messaging
from oslo_serialization import jsonutils

from convergence.rpc.context import RequestContext


_SCALARS = (str, int, float, bool, type(None))


class JsonPayloadSerializer(oslo_messaging.NoOpSerializer):
    """Turns any payload into JSON primitives before it is sent."""

    def serialize_entity(self, ctxt: Any, entity: Any) -> Any:
        return _primitive(entity)


def _primitive(value: Any) -> Any:
    """``jsonutils.to_primitive``, with plain JSON walked here.

    Nearly every payload (a node's trigger data) is plain dicts, lists and
    scalars already; to_primitive asks a dozen type questions of each
    container before it looks inside.  Anything else still goes to it.
    """
    if isinstance(value, _SCALARS):
        return value
    if type(value) is dict:
        return {key if type(key) is str else _primitive(key): _primitive(item)
                for key, item in value.items()}
    if type(value) is list:
        return [_primitive(item) for item in value]
    return jsonutils.to_primitive(value, convert_instances=True)


class RequestContextSerializer(oslo_messaging.Serializer):
    """Wraps a payload serializer and carries the request context as a dict."""

    def __init__(self, base: oslo_messaging.Serializer | None = None) -> None:
        self._base = base or JsonPayloadSerializer()

    def serialize_entity(self, ctxt: Any, entity: Any) -> Any:
        return self._base.serialize_entity(ctxt, entity)

    def deserialize_entity(self, ctxt: Any, entity: Any) -> Any:
        return self._base.deserialize_entity(ctxt, entity)

    def serialize_context(self, ctxt: Any) -> dict:
        if isinstance(ctxt, dict):
            return dict(ctxt)
        return ctxt.to_dict()

    def deserialize_context(self, ctxt: dict) -> RequestContext:
        values = dict(ctxt)
        values.pop('trace_info', None)
        return RequestContext.from_dict(values)


class WorkerSerializer(RequestContextSerializer):
    """For the worker topic: the context stays the dict it came as.

    A node acts as the engine itself, whoever's request started the
    traversal, so worker endpoints never use the context; rebuilding a
    RequestContext for each of thousands of casts would be wasted.
    """

    def deserialize_context(self, ctxt: dict) -> dict:
        return ctxt
