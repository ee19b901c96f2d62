"""A group's members changed in batches: the plan (pure).

A group whose update policy asks for it (``batch_create`` on create,
``rolling_update`` when an update changes the members' definition) does
not converge its child stack in one operation but in several, each
adding or changing at most ``max_batch_size`` members while at least
``min_in_service`` stay in service, with ``pause_time`` seconds between two
of them.  The arithmetic is Heat's (heat/scaling/rolling_update.py and
template.py), so the same template update changes the same members in the
same order:

- ``batches`` lists, per batch, the group's size during it and how many of
  its members have the new definition by then (created or changed);
- ``members`` builds one batch's membership from the existing members;
- ``instance_group_batches`` is the plan of Heat's InstanceGroup family
  (InstanceGroup, AWS::AutoScaling::AutoScalingGroup), whose rolling
  update counts differently and resizes after;
- ``pause_seconds`` reads their ``PauseTime`` (ISO 8601, ``PT#H#M#S``);
- ``child_timeout`` is what is left of the stack's timeout for each batch
  once the pauses are taken out (Heat's ``_update_timeout``).
"""

import dataclasses
import math
import re
from collections.abc import Callable, Sequence
from typing import NamedTuple

# Heat's message when the pauses alone would exceed the stack's timeout.
TIMEOUT_MESSAGE = ('The current update policy will result in stack update '
                   'timeout.')


@dataclasses.dataclass(frozen=True)
class Policy:
    """How a group's batched operation goes."""

    max_batch_size: int
    min_in_service: int
    pause_time: float
    # Only the group's size changes (an InstanceGroup's update without a
    # rolling update: members keep their definition, new ones get it).
    resize_only: bool = False


class Member(NamedTuple):
    """A member of the group's child stack as it stands."""

    name: str
    definition: dict    # its snippet in the child's template
    failed: bool


def needs_update(target: int, current: int, up_to_date: int) -> bool:
    """Whether another batch is needed: the group is not yet at its target
    size with every member up to date."""
    return not (current == target and up_to_date >= current)


def next_batch(target: int, current: int, up_to_date: int, batch_size: int,
               min_in_service: int) -> tuple[int, int]:
    """(the group's size during the next batch, the members that get the
    new definition in it, created or changed)."""
    if up_to_date > current:
        raise ValueError('%d members up to date of %d' % (up_to_date,
                                                          current))
    keep = min(min_in_service, target, current)
    changed = min(batch_size, max(target - up_to_date, 0))
    return changed + max(min(current, target - changed), keep), changed


def batches(target: int, current: int, batch_size: int,
            min_in_service: int) -> list[tuple[int, int]]:
    """Every batch of an operation from ``current`` members (none of them
    up to date) to ``target``: a list of ``next_batch`` results."""
    plan = []
    up_to_date = 0
    while needs_update(target, current, up_to_date):
        size, changed = next_batch(target, current, up_to_date, batch_size,
                                   min_in_service)
        plan.append((size, changed))
        # The members added beyond both sizes are the batch's new ones.
        up_to_date += changed - max(size - max(current, target), 0)
        current = size
    return plan


def instance_group_batches(size: int | None, current: int, final: int,
                           batch_size: int, min_in_service: int
                           ) -> list[tuple[int, int]]:
    """The plan of an InstanceGroup's rolling update (Heat's ``_replace``
    then ``resize``): from ``current`` members, none up to date, every
    member gets the new definition at a target of ``size`` (None: the
    current size) but never more than ``current``; every member a batch
    gives the new definition counts as up to date, the new ones included
    (so a group kept over its size to stay in service may end with some
    members still old, as in Heat); then the group is resized to
    ``final``, new members only getting the new definition."""
    target = min(size or current, current)
    plan = []
    up_to_date = 0
    while needs_update(target, current, up_to_date):
        batch = next_batch(target, current, up_to_date, batch_size,
                           min_in_service)
        plan.append(batch)
        current, changed = batch
        up_to_date += changed
    if not plan or plan[-1][0] != final:
        plan.append((final, 0))
    return plan


# Heat's only ISO 8601 durations: hours, minutes and seconds.
_ISO_DURATION = re.compile(r'PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$')
# Heat's longest pause between batches of an InstanceGroup.
MAX_PAUSE = 3600


def pause_seconds(duration: str) -> int:
    """Seconds of an ISO 8601 ``PT#H#M#S`` duration.

    Raises:
        ValueError: another form (Heat's message).
    """
    found = _ISO_DURATION.match(str(duration))
    if not found:
        raise ValueError('Only ISO 8601 duration format of the form '
                         'PT#H#M#S is supported.')
    hours, minutes, seconds = (int(g or 0) for g in found.groups())
    return hours * 3600 + minutes * 60 + seconds


def child_timeout(batch_count: int, pause_time: float,
                  timeout_secs: float) -> int:
    """Minutes each batch's child operation may take: the stack's timeout
    less every pause between batches, rounded up.

    Raises:
        ValueError: the pauses alone take the whole timeout (Heat's
            TIMEOUT_MESSAGE).
    """
    pauses = pause_time * max(batch_count - 1, 0)
    if pauses >= timeout_secs:
        raise ValueError(TIMEOUT_MESSAGE)
    return math.ceil((timeout_secs - pauses) / 60)


def members(existing: Sequence[tuple[str, dict]], names: Sequence[str],
            target: int, size: int, changed: int,
            definition: Callable[[str], dict]) -> list[tuple[str, dict]]:
    """One batch's members: (name, definition) for ``size`` members of
    which up to ``changed`` get the new ``definition(name)``.

    ``existing``: the members there are (name, current definition), oldest
    first; ``names``: the ``size`` names the group would use.  Members
    whose name is not among ``names`` go first, then existing ones keep
    their place, those with the highest names within ``target`` being
    changed first; those beyond ``target`` (kept only to stay in service)
    are never changed.  New members take the unused ``names`` in order.
    """
    position = {name: i for i, name in enumerate(names)}

    def priority(member):
        index = position.get(member[0])
        if index is None:
            return 0
        return target - index if index < target else size
    kept = sorted(existing, key=priority)
    kept = kept[max(len(kept) - size, 0):] if size else []
    to_change = changed - (size - len(kept))
    chosen = []
    for name, current in kept:
        wanted = definition(name)
        if to_change > 0 and current != wanted:
            to_change -= 1
            chosen.append((name, wanted))
        else:
            chosen.append((name, current))
    taken = {name for name, _ in existing}
    fresh = (n for n in names if n not in taken)
    for _ in range(size - len(kept)):
        name = next(fresh)
        chosen.append((name, definition(name)))
    return chosen
