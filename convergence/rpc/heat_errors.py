"""Our errors on the bus as heat-engine's: Heat's class names and kwargs.

oslo.messaging sends an error an RPC endpoint raised as its class's module
and name, ``args``, ``kwargs`` and text.  A stock heat-api rebuilds it only
from a module it allows, ``heat.common.exception``, as
``HeatClass(*args, **kwargs)``; its fault middleware then picks the HTTP
status by the class name and shows Heat's ``msg_fmt % kwargs`` as the
message.  So a ConvergenceError leaves an engine as ``to_wire`` makes it:
named as heat-engine names it, no args, and kwargs with which Heat's own
class prints exactly our message.  Our API reads the same name back
(``from_remote``), so both APIs answer alike.  ``WIRE`` is the one table.
"""

import oslo_messaging

from convergence import exceptions

HEAT_MODULE = 'heat.common.exception'

# How Heat's class, rebuilt from kwargs, prints a given message:
FIELDS = 'fields'        # its msg_fmt is ours: our kwargs fill it
MESSAGE = 'message'      # msg_fmt '%(message)s'
WITH_PATH = 'with_path'  # StackValidationFailed(error, path, message)
MSG_FMT = 'msg_fmt'      # NotFound(msg_fmt): the message is the format
# Heat classes that carry any message, by HTTP status, for an error whose
# kwargs do not rebuild its message; anything else is heat-api's 500.
_CARRIERS = {400: ('StackValidationFailed', WITH_PATH),
             404: ('NotFound', MSG_FMT)}
_INTERNAL = ('Error', MESSAGE)

# Our class -> (Heat's class name, how its kwargs are made).  A class not
# listed goes as its nearest listed base class.
WIRE = {
    exceptions.ConvergenceError: _INTERNAL,
    exceptions.Error: _INTERNAL,
    # The request is wrong where heat-api (not heat-engine) would notice,
    # or heat-engine raises a bare ValueError, whose text heat-api hides.
    exceptions.BadRequest: ('StackValidationFailed', WITH_PATH),
    exceptions.StackValidationFailed: ('StackValidationFailed', WITH_PATH),
    exceptions.InvalidTemplateVersion: ('InvalidTemplateVersion', FIELDS),
    exceptions.InvalidTemplateSection: ('InvalidTemplateSection', FIELDS),
    exceptions.InvalidTemplateReference: ('InvalidTemplateReference', FIELDS),
    exceptions.InvalidTemplateAttribute: ('InvalidTemplateAttribute', FIELDS),
    exceptions.UnknownUserParameter: ('UnknownUserParameter', FIELDS),
    exceptions.UserParameterMissing: ('UserParameterMissing', FIELDS),
    exceptions.InvalidSchemaError: ('InvalidSchemaError', MESSAGE),
    exceptions.CircularDependencyException: (
        'CircularDependencyException', FIELDS),
    exceptions.InvalidMergeStrategyForParam: (
        'InvalidMergeStrategyForParam', FIELDS),
    exceptions.ConflictingMergeStrategyForParam: (
        'ConflictingMergeStrategyForParam', FIELDS),
    exceptions.InvalidRestrictedAction: ('InvalidRestrictedAction', MESSAGE),
    exceptions.InvalidBreakPointHook: ('InvalidBreakPointHook', MESSAGE),
    exceptions.NotSupported: ('NotSupported', FIELDS),
    exceptions.ResourceTypeUnavailable: ('ResourceTypeUnavailable', FIELDS),
    # A resource type policy (engine/type_policy.py) denied the caller.
    exceptions.Forbidden: ('Forbidden', FIELDS),
    exceptions.Invalid: ('Invalid', FIELDS),
    exceptions.RequestLimitExceeded: ('RequestLimitExceeded', FIELDS),
    exceptions.ImmutableParameterModified: (
        'ImmutableParameterModified', FIELDS),
    exceptions.InvalidTenant: ('InvalidTenant', FIELDS),
    exceptions.EntityNotFound: ('EntityNotFound', FIELDS),
    exceptions.ResourceNotFound: ('ResourceNotFound', FIELDS),
    exceptions.NotFound: ('NotFound', MSG_FMT),
    exceptions.StackExists: ('StackExists', FIELDS),
    exceptions.ActionInProgress: ('ActionInProgress', FIELDS),
    exceptions.SnapshotNotFound: ('SnapshotNotFound', FIELDS),
    exceptions.ResourceNotAvailable: ('ResourceNotAvailable', FIELDS),
    exceptions.ResourceActionNotSupported: (
        'ResourceActionNotSupported', FIELDS),
    exceptions.PhysicalResourceIDAmbiguity: (
        'PhysicalResourceIDAmbiguity', FIELDS),
}

# Heat's class name -> our class, for errors coming back.  Where several of
# ours share a Heat name the one of the same name wins.
_OURS = {heat_name: ours for ours, (heat_name, _) in WIRE.items()
         if heat_name == ours.__name__ or heat_name not in
         {o.__name__ for o in WIRE}}


class HeatWireError(Exception):
    """Base of the stand-ins for Heat's classes that errors travel as."""

    def __init__(self, message: str, kwargs: dict) -> None:
        super().__init__()  # no args: Heat's classes take kwargs only
        self.message = message
        self.kwargs = kwargs

    def __str__(self) -> str:
        return self.message


_WIRE_CLASSES: dict[str, type] = {}


def _wire_class(heat_name: str) -> type:
    """A class oslo.messaging serializes as ``heat.common.exception.<name>``."""
    if heat_name not in _WIRE_CLASSES:
        _WIRE_CLASSES[heat_name] = type(heat_name, (HeatWireError,),
                                        {'__module__': HEAT_MODULE})
    return _WIRE_CLASSES[heat_name]


def _kwargs(style: str, error: exceptions.ConvergenceError) -> dict | None:
    """Heat's kwargs printing ``error.message``, or None if there are none."""
    text = error.message
    if style == MESSAGE:
        return {'message': text}
    if style == WITH_PATH:
        return {'error': '', 'path': '', 'message': text}
    if style == MSG_FMT:
        return {'msg_fmt': text.replace('%', '%%')}
    try:
        printed = type(error).msg_fmt % error.kwargs
    except (KeyError, TypeError, ValueError):
        return None
    return dict(error.kwargs) if printed == text else None


def _entry(error: exceptions.ConvergenceError) -> tuple[str, str]:
    for cls in type(error).__mro__:
        if cls in WIRE:
            return WIRE[cls]
    raise TypeError('%r is not a ConvergenceError' % (error,))


def to_wire(error: exceptions.ConvergenceError) -> HeatWireError:
    """``error`` as heat-engine would have raised it, ready to be sent."""
    heat_name, style = _entry(error)
    kwargs = _kwargs(style, error)
    if kwargs is None:
        heat_name, style = _CARRIERS.get(error.http_status, _INTERNAL)
        kwargs = _kwargs(style, error)
    return _wire_class(heat_name)(error.message, kwargs)


def from_remote(error: Exception) -> Exception:
    """A remote Heat-named error as our class of that name (its message
    kept); any other error as it is.

    Our API does not import Heat: oslo.messaging hands it Heat's errors as
    RemoteErrors, which carry the class name and the message.
    """
    if (isinstance(error, oslo_messaging.RemoteError)
            and error.exc_type in _OURS):
        ours = _OURS[error.exc_type](error.value or '')
        ours.remote_traceback = error.traceback
        return ours
    return error
