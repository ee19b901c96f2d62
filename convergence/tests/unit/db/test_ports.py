"""Every object the engine is given satisfies its ports, method by method.

``typing.Protocol`` checks nothing at run time, so a method added to a port
(convergence/ports.py) without an implementation, or implemented with other
parameters, would go unnoticed until a node called it.  Here each port
method must exist on the object and accept every call the port allows: the
same parameters in the same order, of the same kind, with the same
defaults, and nothing more that a caller would have to pass.
"""

import inspect
import typing

import testscenarios
import testtools

from convergence import definitions
from convergence import events
from convergence import ports
from convergence import traversal_ports
from convergence.tests.unit.db import base
from db import api

load_tests = testscenarios.load_tests_apply_scenarios

STORAGE_PORTS = (ports.Templates, ports.Stacks, ports.Resources, ports.Joins,
                 ports.Events, ports.Services, ports.Snapshots,
                 ports.SoftwareConfigs, ports.UserCreds)


def port_methods(port: type) -> dict[str, typing.Callable]:
    """The methods ``port`` declares, its base ports' included."""
    methods = {}
    for declaring in reversed(port.__mro__):
        if declaring in (typing.Protocol, typing.Generic, object):
            continue
        methods.update((name, member) for name, member in vars(declaring).items()
                       if inspect.isfunction(member) and not name.startswith('_'))
    return methods


def mismatches(port: type, implementation: object) -> list[str]:
    """Why ``implementation`` does not satisfy ``port``: one line a method."""
    found = []
    for name, declared in sorted(port_methods(port).items()):
        method = getattr(implementation, name, None)
        if not callable(method):
            found.append('%s.%s is missing' % (port.__name__, name))
            continue
        wanted = list(inspect.signature(declared).parameters.values())[1:]
        problem = _incompatibility(wanted, inspect.signature(method))
        if problem:
            found.append('%s.%s: %s' % (port.__name__, name, problem))
    return found


def _incompatibility(wanted: list[inspect.Parameter],
                     actual: inspect.Signature) -> str | None:
    """What in ``actual`` a call made by the port's signature would break."""
    given = list(actual.parameters.values())
    for index, parameter in enumerate(wanted):
        if index >= len(given):
            return 'takes no parameter %s' % parameter.name
        got = given[index]
        if (got.name, got.kind) != (parameter.name, parameter.kind):
            return 'parameter %d is %s (%s), not %s (%s)' % (
                index + 1, got.name, got.kind.description, parameter.name,
                parameter.kind.description)
        if (parameter.default is not parameter.empty
                and got.default != parameter.default):
            return '%s defaults to %r, not %r' % (
                parameter.name, got.default, parameter.default)
    for extra in given[len(wanted):]:
        if (extra.default is extra.empty and extra.kind not in (
                extra.VAR_POSITIONAL, extra.VAR_KEYWORD)):
            return 'requires %s, which the port does not pass' % extra.name
    return None


class TestDatabaseSatisfiesThePorts(base.DatabaseTestCase):
    """db.api.Database, on every backend, is what Runtime.db promises."""

    def test_satisfies_every_storage_port(self):
        self.assertEqual([], [problem for port in STORAGE_PORTS
                              for problem in mismatches(port, self.db)])

    def test_the_database_port_is_every_storage_port(self):
        self.assertEqual(
            set().union(*(port_methods(p) for p in STORAGE_PORTS)),
            set(port_methods(ports.Database)))


class TestEngineObjectsSatisfyThePorts(testtools.TestCase):
    """What production puts into Runtime.events and Runtime.definitions."""

    def test_the_event_log_is_an_event_sink(self):
        self.assertEqual([], mismatches(traversal_ports.EventSink,
                                        events.EventLog(db=None)))

    def test_the_definition_cache_is_a_definition_source(self):
        self.assertEqual([], mismatches(traversal_ports.DefinitionSource,
                                        definitions.DefinitionCache(db=None)))


class _Counter(typing.Protocol):

    def count(self, stack_id: str, deleted: bool = False) -> int:
        """A port method for the check to check."""


class TestTheCheck(testtools.TestCase):
    """The check above catches each way an object can fall short of a port."""

    def check(self, implementation: type) -> list[str]:
        return mismatches(_Counter, implementation())

    def test_accepts_the_same_signature_and_extra_optional_parameters(self):
        class Same:
            def count(self, stack_id, deleted=False, limit=None, **extra):
                return 0
        self.assertEqual([], self.check(Same))

    def test_a_missing_method(self):
        self.assertEqual(['_Counter.count is missing'], self.check(object))

    def test_a_renamed_or_reordered_parameter(self):
        class Renamed:
            def count(self, stack, deleted=False):
                return 0

        class Reordered:
            def count(self, deleted, stack_id):
                return 0
        self.assertEqual(1, len(self.check(Renamed)))
        self.assertEqual(1, len(self.check(Reordered)))

    def test_a_keyword_only_parameter_the_port_passes_by_position(self):
        class KeywordOnly:
            def count(self, stack_id, *, deleted=False):
                return 0
        self.assertEqual(1, len(self.check(KeywordOnly)))

    def test_a_changed_or_missing_default(self):
        class Changed:
            def count(self, stack_id, deleted=True):
                return 0

        class Required:
            def count(self, stack_id, deleted):
                return 0
        self.assertEqual(1, len(self.check(Changed)))
        self.assertEqual(1, len(self.check(Required)))

    def test_a_parameter_too_few_or_one_required_too_many(self):
        class TooFew:
            def count(self, stack_id):
                return 0

        class TooMany:
            def count(self, stack_id, deleted=False, tenant=None, *, limit):
                return 0
        self.assertEqual(['_Counter.count: takes no parameter deleted'],
                         self.check(TooFew))
        self.assertEqual(
            ['_Counter.count: requires limit, which the port does not pass'],
            self.check(TooMany))

    def test_a_method_added_to_a_storage_port_without_implementation(self):
        class GrownStacks(ports.Stacks, typing.Protocol):
            def stack_rename(self, stack_id: str, name: str) -> bool:
                """A port method nobody implemented."""
        self.assertEqual(['GrownStacks.stack_rename is missing'],
                         mismatches(GrownStacks, api.Database('sqlite://')))
