"""Recovery without a human: dead engines, lost messages, missed timeouts.

Every engine runs a ``sweeper.Sweeper``; see docs/architecture.md
("Recovery") for what it finds and what it does about it.
"""
