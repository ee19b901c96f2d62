"""The ports a traversal works through besides storage (convergence.ports)
and the cloud (convergence.cloud_ports): the event log users list, and the
parsed stack definitions.  Production's are ``convergence.events.EventLog``
and ``convergence.definitions.DefinitionCache``."""

from typing import TYPE_CHECKING, Callable, Iterable, Protocol

if TYPE_CHECKING:
    from convergence import template as tmpl


class EventSink(Protocol):
    """Where a traversal records what happened, for users to list."""

    def resource_event(self, stack_id: str, row: dict, action: str,
                       status: str, reason: str | None,
                       properties: dict | None = None) -> None:
        """Record that resource ``row`` reached ``action`` ``status``; it
        may be written later, in a batch, but in its place by time."""

    def stack_event(self, stack: dict, action: str, status: str,
                    reason: str) -> None:
        """Record the stack's state, written at once and after every
        resource event recorded before it (clients stop waiting on it)."""

    def flush(self) -> None:
        """Write every resource event recorded so far."""

    def start(self, spawn: Callable) -> None:
        """Begin writing in the background (with ``spawn``), if buffered."""


class DefinitionSource(Protocol):
    """Parsed stack definitions by stored template id."""

    def get(self, template_id: int,
            stack: dict) -> 'tmpl.StackDefinition':
        """The definition of template ``template_id`` for ``stack``; the same
        on every engine for the same stored template."""

    def remember(self, template_id: int,
                 definition: 'tmpl.StackDefinition',
                 stored: dict) -> None:
        """Offer the definition a request was validated with, stored as
        ``template_id`` from ``stored``; kept only if ``get`` would build
        the same from the stored copy."""

    def forget(self, template_ids: Iterable[int]) -> None:
        """Drop the definitions of deleted templates."""
