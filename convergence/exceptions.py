"""Errors a user can act on, named as Heat names them.

On the bus they travel as heat-engine's (convergence/rpc/heat_errors.py).
The REST API turns any ``ConvergenceError`` into Heat's fault body
``{"code", "title", "explanation", "error": {"type", "message", "traceback"}}``
where ``type`` is the class name, so clients and Heat's own tests that match on
the type name keep working.  ``http_status`` picks the status code.
"""


class ConvergenceError(Exception):
    """Base of every error whose message is safe to show to the user."""

    http_status = 500
    msg_fmt = 'An unknown error occurred.'

    def __init__(self, *args, **kwargs):
        """``Error('text')`` uses the text as is; ``Error(key=value)`` fills
        ``msg_fmt`` (``message=`` included, so Heat's prefixes appear).

        The keyword form's values stay in ``kwargs``: they are the kwargs of
        Heat's class of the same name when the error crosses the bus
        (convergence/rpc/heat_errors.py).
        """
        if args:
            message = str(args[0])
        else:
            try:
                message = self.msg_fmt % kwargs
            except (KeyError, TypeError):
                message = str(kwargs.get('message', self.msg_fmt))
        self.kwargs = dict(kwargs)
        self.message = message
        super().__init__(message)

    @property
    def error_type(self) -> str:
        return type(self).__name__


class Error(ConvergenceError):
    """An engine-side failure as it crossed the bus: Heat's generic name."""


# --- 400: the request or the template is wrong -----------------------------

class BadRequest(ConvergenceError):
    http_status = 400
    msg_fmt = 'The request is malformed: %(reason)s'


class InvalidTemplateVersion(BadRequest):
    msg_fmt = 'The template version is invalid: %(explanation)s'


class InvalidTemplateSection(BadRequest):
    msg_fmt = 'The template section is invalid: %(section)s'


class InvalidTemplateReference(BadRequest):
    msg_fmt = ('The specified reference "%(resource)s" (in %(key)s) '
               'is incorrect.')


class TemplateOutputError(BadRequest):
    """A nested stack's output failed to resolve: the parent's get_attr of
    it fails too (Heat's text)."""

    msg_fmt = 'Error in %(resource)s output %(attribute)s: %(message)s'


class StoredAttributeError(BadRequest):
    """Reading an attribute whose resolution failed when it was cached:
    the stored failure, word for word."""

    msg_fmt = '%(message)s'


class InvalidTemplateAttribute(BadRequest):
    msg_fmt = ('The Referenced Attribute (%(resource)s %(key)s) is '
               'incorrect.')


class StackValidationFailed(BadRequest):
    msg_fmt = '%(message)s'

    def __init__(self, *args, path=None, **kwargs):
        if path:
            where = '.'.join(str(p) for p in path)
            text = args[0] if args else kwargs.pop('message', '')
            args = ('%s: %s' % (where, text) if text else where,)
        super().__init__(*args, **kwargs)


class UnknownUserParameter(BadRequest):
    msg_fmt = 'The Parameter (%(key)s) was not defined in template.'


class UserParameterMissing(BadRequest):
    msg_fmt = 'The Parameter (%(key)s) was not provided.'


class InvalidSchemaError(BadRequest):
    msg_fmt = '%(message)s'


class CircularDependencyException(BadRequest):
    msg_fmt = 'Circular Dependency Found: %(cycle)s'


class ResourceTypeNotFound(StackValidationFailed):
    msg_fmt = 'The Resource Type (%(type_name)s) could not be found.'


class ResourceTypeNotImplemented(ResourceTypeNotFound):
    """A type Heat has and this engine does not build, its service in the
    caller's catalog (heat_only_types; where the service is absent Heat's
    ResourceTypeUnavailable is raised instead)."""

    msg_fmt = ('The Resource Type (%(type_name)s) is not implemented by this '
               'engine.')


class ResourceTypeUnavailable(BadRequest):
    """A cloud type whose service the caller's catalog lacks (Heat 27's
    text, its error code in front)."""

    msg_fmt = ('HEAT-E99001 Service %(service_name)s is not available for '
               'resource type %(resource_type)s, reason: %(reason)s')


class InvalidMergeStrategyForParam(BadRequest):
    msg_fmt = ("Invalid merge strategy '%(strategy)s' for parameter "
               "'%(param)s'.")


class ConflictingMergeStrategyForParam(BadRequest):
    msg_fmt = ("Conflicting merge strategy '%(strategy)s' for parameter "
               "'%(param)s' in file '%(env_file)s'.")


class InvalidRestrictedAction(BadRequest):
    msg_fmt = '%(message)s'


class InvalidBreakPointHook(BadRequest):
    msg_fmt = '%(message)s'


class PhysicalResourceIDAmbiguity(BadRequest):
    msg_fmt = ('Multiple resources were found with the physical ID '
               '(%(phys_id)s).')


class NotSupported(BadRequest):
    msg_fmt = '%(feature)s is not supported.'


class ResourceActionNotSupported(BadRequest):
    msg_fmt = '%(action)s is not supported for resource.'


class Invalid(BadRequest):
    msg_fmt = 'Data supplied was not valid: %(reason)s'


class RequestLimitExceeded(BadRequest):
    msg_fmt = 'Request limit exceeded: %(message)s'


class ImmutableParameterModified(BadRequest):
    msg_fmt = 'The following parameters are immutable and may not be updated: %(keys)s'


# --- 403 ---------------------------------------------------------------------

class Forbidden(ConvergenceError):
    """A policy rule (api/policy.py) denied the caller."""
    http_status = 403
    msg_fmt = 'You are not authorized to use %(action)s.'


class InvalidTenant(ConvergenceError):
    """A request names another project where only the caller's own may be
    named (Heat's class and words)."""
    http_status = 403
    msg_fmt = 'Searching Tenant %(target)s from Tenant %(actual)s forbidden.'


# --- 404 ---------------------------------------------------------------------

class EntityNotFound(ConvergenceError):
    http_status = 404
    msg_fmt = 'The %(entity)s (%(name)s) could not be found.'


class ResourceNotFound(EntityNotFound):
    msg_fmt = ('The Resource (%(resource_name)s) could not be found '
               'in Stack %(stack_name)s.')


class ResourceNotAvailable(ConvergenceError):
    http_status = 404
    msg_fmt = 'The Resource (%(resource_name)s) is not available.'


class SnapshotNotFound(EntityNotFound):
    msg_fmt = ('The Snapshot (%(snapshot)s) for Stack (%(stack)s) could not '
               'be found.')


class NoActionRequired(ConvergenceError):
    """A signal that asks for nothing now (a scaling policy in its cooldown,
    a group already at its size): heat-engine drops it without an event.
    It never reaches a user."""
    msg_fmt = 'The resource %(res_name)s could not perform scaling action: %(reason)s'


class NotFound(ConvergenceError):
    http_status = 404
    msg_fmt = '%(message)s'


# --- 409 ---------------------------------------------------------------------

class StackExists(ConvergenceError):
    http_status = 409
    msg_fmt = 'The Stack (%(stack_name)s) already exists.'


class ActionInProgress(ConvergenceError):
    http_status = 409
    msg_fmt = ('Stack %(stack_name)s already has an action (%(action)s) '
               'in progress.')


# --- engine-internal control flow (never shown as an HTTP error) --------------

class ResourceFailure(ConvergenceError):
    """A resource action failed; ``message`` is the reason shown to users."""


class UpdateReplace(ConvergenceError):
    """The resource cannot be updated in place and must be replaced."""
    msg_fmt = 'The Resource %(resource_name)s requires replacement.'


class UpdateInProgress(ConvergenceError):
    """The resource row is locked by another worker."""
    http_status = 409
    msg_fmt = 'The resource %(resource_name)s is already being updated.'


class ActionCancelled(BaseException):
    """Raised inside a resource action when its traversal asks it to stop.

    A BaseException so that plugin code catching ``Exception`` cannot swallow it.
    """


class Timeout(ConvergenceError):
    msg_fmt = 'Timed out'
