"""Stacks of stacks: a resource row whose physical resource is a child stack.

``child`` hands the row's lock to the child stack's operation (create,
update or delete); ``resume`` takes it back when the child's operation
ends and finishes the parent's node; ``outputs`` reads a stack's outputs
from its rows.  Nothing waits in a thread for a child: between the two the
row is locked with ``awaiting`` set, and whoever wakes it (the child's
verdict, a newer traversal's trigger, the sweeper) takes the lock over.
``batches`` makes a group's action a sequence of child operations, one per
batch of its update policy, with timed pauses in between.
"""
