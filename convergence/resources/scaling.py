"""Scaling arithmetic of OS::Heat::AutoScalingGroup: pure.

Heat's rules (heat/scaling/scalingutil.py and template.py), so the same
adjustment gives the same size and the same members:

- ``new_capacity``: the size an adjustment of a given type asks for, kept
  within the group's minimum and maximum;
- ``member_definitions``: the members of the next child template from the
  members there are, ordered first-to-go first (failed ones, then the
  oldest), keeping the newest when the group shrinks and changing up to a
  number of them to the new definition.
"""

import math
from collections.abc import Callable, Iterator, Sequence

ADJUSTMENT_TYPES = (CHANGE_IN_CAPACITY, EXACT_CAPACITY,
                    PERCENT_CHANGE_IN_CAPACITY) = (
    'change_in_capacity', 'exact_capacity', 'percent_change_in_capacity')
# The same types under AWS::AutoScaling::ScalingPolicy's names.
CFN_ADJUSTMENT_TYPES = (CFN_CHANGE_IN_CAPACITY, CFN_EXACT_CAPACITY,
                        CFN_PERCENT_CHANGE_IN_CAPACITY) = (
    'ChangeInCapacity', 'ExactCapacity', 'PercentChangeInCapacity')
_BY_CFN_NAME = dict(zip(CFN_ADJUSTMENT_TYPES, ADJUSTMENT_TYPES))


# Row data of a group or policy: when its cooldown ends (seconds since the
# epoch: any engine reads it).
COOLDOWN_END = 'cooldown_end'


def in_cooldown(data: dict, now: float) -> bool:
    """Whether the cooldown recorded in a row's ``data`` still runs."""
    end = data.get(COOLDOWN_END)
    return end is not None and now < end


def cooldown_end(now: float, seconds) -> float:
    """When a cooldown of ``seconds`` that starts ``now`` ends."""
    return now + float(seconds or 0)


def new_capacity(current: int, adjustment: float, adjustment_type: str,
                 min_adjustment_step: int | None, minimum: int,
                 maximum: int) -> int:
    """The group's size after ``adjustment``, within [minimum, maximum].

    A percent change rounds toward zero, except that a change of less than
    one member moves by one; ``min_adjustment_step`` is the least such a
    change moves.  ``adjustment_type``: one of ``ADJUSTMENT_TYPES`` or
    of ``CFN_ADJUSTMENT_TYPES``.
    """
    adjustment_type = _BY_CFN_NAME.get(adjustment_type, adjustment_type)
    if adjustment_type == CHANGE_IN_CAPACITY:
        wanted = current + adjustment
    elif adjustment_type == EXACT_CAPACITY:
        wanted = adjustment
    elif adjustment_type == PERCENT_CHANGE_IN_CAPACITY:
        delta = current * adjustment / 100.0
        if abs(delta) < 1.0:
            step = int(math.ceil(delta) if delta > 0 else math.floor(delta))
        else:
            step = int(math.floor(delta) if delta > 0 else math.ceil(delta))
        if min_adjustment_step and min_adjustment_step > abs(step):
            step = min_adjustment_step if step > 0 else -min_adjustment_step
        wanted = current + step
    else:
        raise ValueError('Unknown adjustment type %r' % adjustment_type)
    return int(max(minimum, min(maximum, wanted)))


def member_definitions(existing: Sequence[tuple[str, dict]], definition: dict,
                       size: int, changed: int,
                       new_name: Callable[[], str]
                       ) -> Iterator[tuple[str, dict]]:
    """(name, definition) of each member of a group of ``size``.

    ``existing``: the members there are, first-to-go first; the last
    ``size`` of them stay.  ``changed``: how many members get
    ``definition``, new ones included (the rest of the shortfall is made
    up by changing staying members whose definition differs, first-to-go
    first).  New members are named by ``new_name``.
    """
    staying = list(existing)[max(len(existing) - size, 0):] if size else []
    to_change = changed - (size - len(staying))
    for name, current in staying:
        if to_change > 0 and current != definition:
            to_change -= 1
            yield name, definition
        else:
            yield name, current
    for _ in range(size - len(staying)):
        yield new_name(), definition
