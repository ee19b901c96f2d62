"""What the scaling groups share: members of one definition, resized.

OS::Heat::AutoScalingGroup, OS::Heat::InstanceGroup and
AWS::AutoScaling::AutoScalingGroup (Heat's InstanceGroup family) keep
their members in a child stack.  As in Heat the members have generated
names (12 characters, short ids) and an order: oldest first, the order in
which the group shrinks (failed members first) and in which a rolling
update changes them.  Our names are derived from the group's name and a
counter, the first not in use, so an operation started again after an
engine died builds the same members.

A group type says what a new member is (``member_definition``), how many
a create makes (``initial_size``), the size an update asks for
(``desired_size``) and what its child declares as outputs
(``member_outputs``); the child's template, the size an adjustment asks
for and each batch's members are built here, once for all of them.
"""

import itertools
import uuid

from convergence.resources import base
from convergence.resources import group_batches
from convergence.resources import group_template as group
from convergence.resources import scaling
from convergence.resources import stack_resource

# Row data: the members' names, oldest first.
MEMBERS_KEY = 'members'
# As many members as a group may have in one batch of a plain resize.
ONE_BATCH = 2 ** 31


class ScaledGroup(stack_resource.StackResource):
    """A group of members of one definition (the base of the groups)."""

    # The size an adjustment asks for (convergence/nested/adjust.py); None
    # in a stack operation.
    requested_capacity: int | None = None

    # --- what a group type says ---

    def member_definition(self) -> dict:
        """The snippet of a new member in the child template."""
        raise NotImplementedError

    def initial_size(self) -> int:
        """How many members a create makes."""
        raise NotImplementedError

    def desired_size(self, current: int) -> int:
        """The size an update asks for when the group has ``current``."""
        raise NotImplementedError

    def member_outputs(self, names: list[str]) -> dict:
        """The child's outputs (name -> value snippet) for ``names``."""
        return {}

    def creating(self) -> None:
        """The child is about to be created (a group's cooldown starts)."""

    # --- the child ---

    def child_template(self) -> dict:
        """The whole goal at once: a create (or an update that needs no
        batch), its members new unless the row already names them."""
        stored = self.data_get(MEMBERS_KEY) or []
        definition = self.member_definition()
        existing = [(name, definition) for name in stored]
        if self.resource_id:
            size = self.target_size(len(stored))
        else:
            size = self.initial_size()
            self.creating()
        return self._template(list(scaling.member_definitions(
            existing, definition, size, size, self._new_names(stored))))

    def current_size(self) -> int:
        """The members the group has (as its row last recorded them)."""
        return len(self.data_get(MEMBERS_KEY) or [])

    def target_size(self, current: int) -> int:
        """The size an update asks for when the group has ``current``: an
        adjustment's, else the type's ``desired_size``."""
        if self.requested_capacity is not None:
            return self.requested_capacity
        return self.desired_size(current)

    def member_names(self) -> list[str]:
        """The members the child has, oldest first, as its outputs know
        them (those its ``refs_map``-like output lists)."""
        return list(self.data_get(MEMBERS_KEY) or [])

    def _new_names(self, taken):
        names = new_names(self.name, set(taken))
        return lambda: next(names)

    def _template(self, members: list[tuple[str, dict]]) -> dict:
        names = [name for name, _ in members]
        self.data_set(MEMBERS_KEY, names)
        return group.template(members, self.member_outputs(names))

    # --- batches ---

    def batch_template(self, size: int, changed: int,
                       members: list[group_batches.Member]) -> dict:
        """``size`` members, up to ``changed`` of them new or changed to
        the member definition; ``members``: the child's, failed first,
        then oldest first."""
        existing = [(m.name, m.definition) for m in members]
        return self._template(list(scaling.member_definitions(
            existing, self.member_definition(), size, changed,
            self._new_names([m.name for m in members]))))


class Adjustable:
    """A group that scaling policies resize (``nested/adjust``): its
    bounds and default cooldown are the type's."""

    def size_bounds(self) -> tuple[int, int]:
        """(minimum, maximum) size."""
        raise NotImplementedError

    def default_cooldown(self):
        """The cooldown (seconds) of an adjustment whose policy has none."""
        raise NotImplementedError

    def adjusted_size(self, adjustment, adjustment_type: str,
                      min_adjustment_step: int | None) -> int:
        """The size a scaling policy's adjustment asks for, in bounds."""
        low, high = self.size_bounds()
        return scaling.new_capacity(self.current_size(), adjustment,
                                    adjustment_type, min_adjustment_step,
                                    low, high)

    def bounded(self, wanted: int) -> int:
        """``wanted`` kept within the group's bounds."""
        low, high = self.size_bounds()
        return scaling.new_capacity(0, wanted, scaling.EXACT_CAPACITY, None,
                                    low, high)


def new_names(group_name: str, taken: set[str]):
    """Member names derived from ``group_name``, skipping ``taken``."""
    for counter in itertools.count():
        name = base.short_id(str(uuid.uuid5(uuid.NAMESPACE_OID, '%s-%d' % (
            group_name, counter))))
        if name not in taken:
            taken.add(name)
            yield name
