"""How large a value computed from a template may grow.

A few hundred bytes of ``repeat`` or ``str_replace`` can stand for hundreds
of megabytes, which would then be stored, cached and sent with every GET.
No function result, resource property map or output value may be larger,
written out as JSON, than ``MAX_VALUE_BYTES``: the largest request body
Heat accepts (``max_json_body_size``), so nothing a request could have
carried written out is refused.  Sizes are measured without serialising,
and the measurement stops as soon as the limit is passed.
"""

from collections.abc import Mapping

from convergence import exceptions

# Bytes a computed value may take written out as JSON (Heat's default
# max_json_body_size).
MAX_VALUE_BYTES = 1048576
# Levels of maps and lists a template or environment may nest.  Parsing and
# resolving recurse a few frames per level, and Python allows 1,000 frames;
# real templates nest a dozen levels or so.
MAX_NESTING = 100


def size_of(value, limit: int = MAX_VALUE_BYTES) -> int | None:
    """About the length of ``value`` as JSON, or None once past ``limit``.

    Strings count their characters, other scalars a few bytes, containers
    their items plus a separator each.  Iterative, so deep values are safe.
    """
    total = 0
    todo = [value]
    while todo:
        item = todo.pop()
        total += _own_size(item)
        if total > limit:
            return None
        if isinstance(item, Mapping):
            todo.extend(item.keys())
            todo.extend(item.values())
        elif isinstance(item, (list, tuple)):
            todo.extend(item)
    return total


def nested_too_deeply(value, limit: int = MAX_NESTING) -> bool:
    """Whether maps and lists in ``value`` nest more than ``limit`` deep."""
    todo = [(value, 0)]
    while todo:
        item, depth = todo.pop()
        if isinstance(item, Mapping):
            children = item.values()
        elif isinstance(item, (list, tuple)):
            children = item
        else:
            continue
        if depth >= limit:
            return True
        todo.extend((child, depth + 1) for child in children)
    return False


def _own_size(item) -> int:
    if isinstance(item, str):
        return len(item) + 3     # quotes and a separator
    if isinstance(item, (Mapping, list, tuple)):
        return 2                 # brackets; items count themselves
    return 8                     # numbers, booleans, null, UNRESOLVED


def check(value, what: str, limit: int = MAX_VALUE_BYTES):
    """``value`` itself if it fits in ``limit``; else RequestLimitExceeded
    naming ``what`` (e.g. the template path of the function)."""
    if size_of(value, limit) is None:
        raise too_large(what, limit)
    return value


def too_large(what: str, limit: int = MAX_VALUE_BYTES
              ) -> exceptions.RequestLimitExceeded:
    return exceptions.RequestLimitExceeded(
        message='%s would be larger than %d bytes.' % (what, limit))
