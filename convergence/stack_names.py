"""Which stack names a new stack may take: Heat's rule, checked on entry.

Heat (heat/engine/stack.py) accepts a name that starts with an ASCII letter
and continues with ASCII letters, digits, ``_``, ``.`` or ``-``, 255
characters at most.  That excludes everything hostile on its own: ``/``,
``.`` and ``..`` (path segments), NUL, non-ASCII and bidirectional
overrides, and the ``arn:openstack:heat::`` prefix (``:`` is not allowed).

Only names of new stacks are checked (create, preview, adopt); a lookup
never is, so a stack stored under a name that predates the rule can still
be shown and deleted.
"""

import re
from typing import Any

from convergence import exceptions

# The whole name must match: Heat's re.match(...$) also lets a trailing
# newline through, which we refuse.
_VALID = re.compile(r'[a-zA-Z][a-zA-Z0-9_.-]{0,254}')


def validate(name: Any) -> str:
    """``name`` if a new stack may take it, else StackValidationFailed (400).

    The messages are Heat's.
    """
    if not isinstance(name, str):
        raise exceptions.StackValidationFailed(
            message='Invalid stack name %s, must be a string' % (name,))
    if not _VALID.fullmatch(name):
        raise exceptions.StackValidationFailed(
            message='Invalid stack name %s must contain only alphanumeric '
                    'or "_-." characters, must start with alpha and must '
                    'be 255 characters or less.' % name)
    return name
