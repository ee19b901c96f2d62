"""A wait condition handle's signals, as Heat stores and counts them (pure).

A handle stores each signal under its id (``merge``): Heat's
``OS::Heat::WaitConditionHandle`` fills in what is missing (status
SUCCESS, reason "Signal <n> received", data None, id <n> where n counts the
signals stored, this one included); the CFN-style handles
(``OS::Heat::UpdateWaitConditionHandle``) take exactly ``Status``,
``Reason``, ``Data`` and ``UniqueId``.  Anything else, or a status other
than SUCCESS or FAILURE, is refused as Heat refuses it (ValueError
"Metadata format invalid").  A signal whose id was stored already replaces
it.

A wait condition reads the stored signals (``verdict``): any FAILURE fails
it with the FAILURE reasons joined by ';'; ``count`` signals end it; its
timeout fails it with "<n> of <count> received[ - <reasons>]".  Its
``data`` attribute is the JSON of id -> data.
"""

import collections.abc
import json

SUCCESS, FAILURE = 'SUCCESS', 'FAILURE'
STATUSES = (FAILURE, SUCCESS)
INVALID = 'Metadata format invalid'

# A format: the names of (data, reason, status, id) in a signal.
HEAT_KEYS = ('data', 'reason', 'status', 'id')
CFN_KEYS = ('Data', 'Reason', 'Status', 'UniqueId')


def normalised(details, stored: dict) -> dict:
    """Heat's defaults for an OS::Heat handle's signal: ``stored`` are the
    signals stored so far (id -> entry)."""
    number = len(stored) + 1
    signal = dict(details) if details else {}
    signal.setdefault('reason', 'Signal %s received' % number)
    signal.setdefault('data', None)
    signal.setdefault('id', number)
    signal.setdefault('status', SUCCESS)
    return signal


def merge(signal, stored: dict, keys: tuple = HEAT_KEYS) -> tuple:
    """The stored signals with ``signal`` added (or replacing the entry of
    its id), and the signal's (status, reason).

    Raises:
        ValueError: the signal is not in the format ``keys`` name, or its
            status is neither SUCCESS nor FAILURE.
    """
    data, reason, status, unique_id = keys
    if (not isinstance(signal, collections.abc.Mapping)
            or set(signal) != set(keys) or signal[status] not in STATUSES):
        raise ValueError(INVALID)
    entry = {data: signal[data], reason: signal[reason],
             status: signal[status]}
    merged = dict(stored)
    merged[str(signal[unique_id])] = entry
    return merged, (signal[status], signal[reason])


def entries(stored: dict, keys: tuple = HEAT_KEYS) -> list[tuple]:
    """(id, status, reason, data) of each stored signal, in stored order."""
    data, reason, status, _ = keys
    return [(k, v.get(status), v.get(reason), v.get(data))
            for k, v in stored.items()]


def verdict(signals: list[tuple], count: int) -> tuple[str | None, bool]:
    """(failure, done) of a condition waiting for ``count`` signals:
    failure is the FAILURE reasons joined, else None."""
    if any(s != SUCCESS for _, s, _, _ in signals):
        return ';'.join(str(r) for _, s, r, _ in signals
                        if s == FAILURE), True
    return None, len(signals) >= count


def timed_out(signals: list[tuple], count: int) -> str:
    """Heat's WaitConditionTimeout text."""
    reasons = [str(r) for _, s, r, _ in signals if s == SUCCESS]
    if reasons:
        return '%d of %d received - %s' % (len(reasons), count,
                                           ';'.join(reasons))
    return '%d of %d received' % (len(reasons), count)


def data_attribute(signals: list[tuple]) -> str:
    """The condition's ``data``: the JSON of id -> data."""
    return json.dumps({k: d for k, _, _, d in signals})
