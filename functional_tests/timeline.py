"""Watching a stack over time and checking invariants at every look.

A ``Sample`` is read stack first, resources second: once the stack shows a
final status no resource may start again, so a resource seen IN_PROGRESS
after a final stack status is a real overlap, not a reading artefact.
"""

import time
from typing import Callable, NamedTuple

from functional_tests import waiting


class Sample(NamedTuple):
    at: float                  # seconds since the timeline started
    stack_status: str
    resources: dict            # name -> resource_status
    outputs: dict | None       # output_key -> value, if asked for

    def in_progress(self) -> list:
        return sorted(n for n, s in self.resources.items()
                      if s.endswith('_IN_PROGRESS'))

    def __str__(self):
        outs = ' %s' % self.outputs if self.outputs is not None else ''
        return '%6.2f %s %s%s' % (self.at, self.stack_status,
                                  self.resources, outs)


Invariant = Callable[[Sample], str | None]   # a violation message or None


def settled_when(*final_statuses: str) -> Invariant:
    """The stack never shows one of ``final_statuses`` while a resource
    is still IN_PROGRESS."""
    def check(sample):
        if sample.stack_status in final_statuses and sample.in_progress():
            return 'stack %s while %s still in progress' % (
                sample.stack_status, sample.in_progress())
        return None
    return check


def output_never(key: str, value) -> Invariant:
    def check(sample):
        if sample.outputs and sample.outputs.get(key) == value:
            return 'output %s showed %r' % (key, value)
        return None
    return check


class Timeline:
    """Samples of one stack; every sample is checked against invariants."""

    def __init__(self, client, identifier: str, with_outputs: bool = False,
                 invariants: tuple = ()):
        self.client = client
        self.identifier = identifier
        self.with_outputs = with_outputs
        self.invariants = list(invariants)
        self.samples: list[Sample] = []
        self.start = time.monotonic()

    def sample(self) -> Sample:
        stack = self.client.stacks.get(self.identifier,
                                       resolve_outputs=self.with_outputs)
        outputs = None
        if self.with_outputs:
            outputs = {o['output_key']: o.get('output_value')
                       for o in getattr(stack, 'outputs', None) or []}
        resources = {r.resource_name: r.resource_status
                     for r in self.client.resources.list(self.identifier)}
        sample = Sample(round(time.monotonic() - self.start, 2),
                        stack.stack_status, resources, outputs)
        self.samples.append(sample)
        for invariant in self.invariants:
            violation = invariant(sample)
            if violation:
                raise AssertionError('%s at t=%s\n%s' % (
                    violation, sample.at, self.describe()))
        return sample

    def until(self, predicate: Callable[[Sample], bool], timeout: float,
              what: str) -> Sample:
        """Sample until ``predicate`` holds; return that sample."""
        def probe():
            sample = self.sample()
            return sample if predicate(sample) else None
        return waiting.wait_until(probe, timeout, what,
                                  describe=self.describe)

    def until_status(self, status: str, timeout: float) -> Sample:
        return self.until(lambda s: s.stack_status == status, timeout,
                          'stack status %s' % status)

    def until_quiet(self, timeout: float) -> Sample:
        return self.until(
            lambda s: not s.in_progress()
            and not s.stack_status.endswith('_IN_PROGRESS'),
            timeout, 'no resource in progress')

    def describe(self, last: int = 40) -> str:
        """The distinct states seen (the last ``last`` of them)."""
        lines, previous = [], None
        for sample in self.samples:
            state = sample[1:]
            if state != previous:
                lines.append(str(sample))
                previous = state
        return '\n'.join(lines[-last:])
