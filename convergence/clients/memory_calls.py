"""What the in-memory twins share: the calls each served, in order, and the
failures a test scripts for the next ones."""


class CallLog:
    """``calls``: (op, kind, args...) of every call served.  ``fail``
    makes the next ``op`` of a ``kind`` raise, once."""

    def __init__(self):
        self.calls: list[tuple] = []
        self._failures: list[tuple[str, str, Exception]] = []

    def fail(self, kind: str, op: str, error: Exception) -> None:
        """Make the next ``op`` (create, show, update, delete, find...) of
        ``kind`` raise ``error``."""
        self._failures.append((kind, op, error))

    def _enter(self, kind: str, op: str, *args) -> None:
        self.calls.append((op, kind) + args)
        for failure in self._failures:
            if failure[:2] == (kind, op):
                self._failures.remove(failure)
                raise failure[2]
