"""Stack definitions already validated, so that one met again is not
validated again.

A tree repeats itself: a group's members, the children of a tree's nodes
and their children are the same template with the same parameters, and a
nested stack is validated with its parent's validation and again when the
parent's node creates it.  Validation is a pure function of the definition
(template, files, environment, parameter values, facade), of the limits
it is checked against, of who asks (the project whose cloud answers the
lookups, the catalog nested types are checked with) and of the registry
of resource types (which changes only when a type is registered), so a success is remembered by a
digest of those; a failure is not (it is raised afresh, with its message).

The stack's identity (id, name, project) counts only where the template
text or its files name a pseudo parameter (``OS::stack_name`` ...): the
only way validation reads it.
"""

import collections
import hashlib
import json
import threading

from convergence import resources

# Digests kept, least recently used dropped first.
SIZE = 4096
# What a template names to read the stack's identity.
_PSEUDO_PARAMETERS = ('OS::stack_id', 'OS::stack_name', 'OS::project_id',
                      'AWS::StackId', 'AWS::StackName')

_lock = threading.Lock()
_validated: collections.OrderedDict = collections.OrderedDict()


def fingerprint(stack_def, max_resources: int, depth_left: int,
                strict: bool, strict_children: bool = True,
                catalog=None) -> str | None:
    """The digest of everything validating ``stack_def`` reads; None when
    some of it has no JSON form (never remembered then).  ``catalog``: the
    JSON form of the catalog nested types are checked with, if any."""
    try:
        text = json.dumps([stack_def.template.t, stack_def.template.files,
                           stack_def.environment.to_dict(),
                           stack_def.user_params, stack_def.facade,
                           max_resources, depth_left, strict,
                           strict_children, resources.generation(),
                           # Who validates: a cloud's lookups and the
                           # catalog nested types are checked with.
                           getattr(stack_def.identity, 'project_id', None),
                           catalog],
                          sort_keys=True, separators=(',', ':'))
    except (TypeError, ValueError):
        return None
    if any(name in text for name in _PSEUDO_PARAMETERS):
        identity = stack_def.identity
        text += json.dumps([str(getattr(identity, field, None)) for field in
                            ('stack_id', 'stack_name', 'project_id')])
    return hashlib.sha256(text.encode()).hexdigest()


def seen(key: str | None) -> bool:
    """Whether the definition of digest ``key`` was validated successfully."""
    if key is None:
        return False
    with _lock:
        if key in _validated:
            _validated.move_to_end(key)
            return True
    return False


def remember(key: str | None) -> None:
    """The definition of digest ``key`` validated successfully."""
    if key is None:
        return
    with _lock:
        _validated[key] = None
        _validated.move_to_end(key)
        while len(_validated) > SIZE:
            _validated.popitem(last=False)


def forget_all() -> None:
    """Drop every remembered validation."""
    with _lock:
        _validated.clear()
