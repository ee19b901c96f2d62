"""The value a reference to another resource has before that resource exists."""


class _Unresolved:
    """Stands in for get_resource/get_attr results during validation.

    Property validation skips any value that is, or contains, this marker:
    its real value is only known once the referenced resource has converged.
    """

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self):
        return 'UNRESOLVED'

    def __reduce__(self):
        return (_Unresolved, ())


UNRESOLVED = _Unresolved()


def contains_unresolved(value) -> bool:
    """True if ``value`` is UNRESOLVED or holds it anywhere inside."""
    if value is UNRESOLVED:
        return True
    if isinstance(value, dict):
        return any(contains_unresolved(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(contains_unresolved(v) for v in value)
    return False
