"""What a plugin's handler returns to wait for an external signal.

The plugin side of ``convergence/worker/signal_wait.py`` (read its
docstring for the whole interface): ``handle_<action>`` returns
``Await(token)``, the engine records the wait on the row and no thread
waits; ``handle_awaited_signal(token, details)`` runs when a signal came.
"""

import dataclasses


@dataclasses.dataclass(frozen=True)
class Await:
    """The action waits for a signal.

    ``token``: JSON data handed back to ``handle_awaited_signal`` and to
    the type's ``handle_<action>_cancel`` hook.
    """

    token: object = None
