"""The cloud a request's validation may ask (custom constraints such as
``neutron.network`` look names up in it, as Heat's do).

The engine opens ``validating_with(factory)`` around a create's or
update's validation; ``factory()`` builds the requesting user's cloud on
first use (so a template with no cloud property builds none).  Outside it,
or in noauth mode, ``current()`` is None and the constraints are checked
when the action resolves the names.  A ``ContextVar``: each green thread
(each request) sees its own.

``remembered(key, lookup)`` asks the cloud once per key and validation: a
template of 50 servers naming one image, one flavor and one network is
validated with three look-ups, not 150 (each an HTTP round trip inside the
create request; Heat memoizes them only with ``[cache] enabled``).  A
validation is one request, so a name cannot change its meaning within it
in any way the request could rely on.
"""

import contextlib
import contextvars
from typing import Callable

_FACTORY: contextvars.ContextVar = contextvars.ContextVar(
    'cloud_for_validation', default=None)
_MEMO: contextvars.ContextVar = contextvars.ContextVar(
    'lookups_of_this_validation', default=None)


@contextlib.contextmanager
def validating_with(factory: Callable[[], object] | None):
    """Let the validation inside see ``factory()``'s cloud (built once)."""
    built: list = []

    def cloud():
        if not built:
            built.append(factory())
        return built[0]
    token = _FACTORY.set(cloud if factory is not None else None)
    memo = _MEMO.set({})
    try:
        yield
    finally:
        _MEMO.reset(memo)
        _FACTORY.reset(token)


def current():
    """The cloud of the request being validated, or None."""
    factory = _FACTORY.get()
    return None if factory is None else factory()


def remembered(key: tuple, lookup: Callable[[], object]):
    """``lookup()``'s answer for ``key``, asked once per validation (every
    time outside one)."""
    memo = _MEMO.get()
    if memo is None:
        return lookup()
    if key not in memo:
        memo[key] = lookup()
    return memo[key]
