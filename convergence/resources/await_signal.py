"""What a plugin's handler returns to wait for an external signal.

The plugin side of ``convergence/worker/signal_wait.py`` (read its
docstring for the whole interface): ``handle_<action>`` returns
``Await(token)``, the engine records the wait on the row and no thread
waits; ``handle_awaited_signal(token, details)`` runs when a signal came.

Two optional sources of signals besides ``deliver``:

* ``after``: seconds after which the row gets ``after_details`` as its
  signal (a timer, ``runtime.call_later``; the sweeper delivers it when
  the timer's engine died): a Delay's end, a wait condition's timeout.
* ``fed_by``: the reference id (``get_resource``) of a resource of the
  same stack whose stored signals feed this wait: when the wait starts and
  whenever that resource stores a signal, the row gets ``{FEED: {'name',
  'type', 'data'}}`` (that resource's name, type and data), or ``{FEED:
  None}`` when the stack holds no such resource.  A wait condition waits
  so on its handle.
"""

import dataclasses


@dataclasses.dataclass(frozen=True)
class Await:
    """The action waits for a signal.

    ``token``: JSON data handed back to ``handle_awaited_signal`` and to
    the type's ``handle_<action>_cancel`` hook.
    """

    token: object = None
    after: float | None = None
    after_details: object = None
    fed_by: str | None = None


# The key of the signal a ``fed_by`` wait gets.
FEED = 'feed'
