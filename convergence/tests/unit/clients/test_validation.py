"""One validation asks the cloud once per name (clients/validation.py)."""

import testtools

from convergence.clients import validation
from convergence.clients.memory import InMemoryNetwork
from convergence.resources import cloud_lookup
from convergence.resources.neutron import constraints as neutron_constraints
from convergence.template.constraints import ConstraintError, \
    CustomConstraint


class _CountingNetwork(InMemoryNetwork):
    def __init__(self):
        super().__init__()
        self.finds = []

    def find(self, kind, name_or_id):
        self.finds.append((kind, name_or_id))
        return super().find(kind, name_or_id)


class _Cloud:
    def __init__(self):
        self.network = _CountingNetwork()
        self.network.create('network', {'name': 'private'})


def _valid(name: str, value) -> bool:
    return CustomConstraint(name).is_valid(value, 'string', None)


class TestRemembered(testtools.TestCase):

    def setUp(self):
        super().setUp()
        neutron_constraints.register()
        cloud_lookup.register()
        self.cloud = _Cloud()

    def test_a_name_is_looked_up_once_per_validation(self):
        with validation.validating_with(lambda: self.cloud):
            for _ in range(50):
                self.assertTrue(_valid('neutron.network', 'private'))
        self.assertEqual([('network', 'private')], self.cloud.network.finds)

    def test_a_missing_name_is_refused_every_time_from_one_look_up(self):
        with validation.validating_with(lambda: self.cloud):
            for _ in range(2):
                error = self.assertRaises(ConstraintError, _valid,
                                          'neutron.network', 'nope')
                self.assertIn("Unable to find network with name or id "
                              "'nope'", str(error))
        self.assertEqual([('network', 'nope')], self.cloud.network.finds)

    def test_each_validation_asks_afresh(self):
        for _ in range(2):
            with validation.validating_with(lambda: self.cloud):
                _valid('neutron.network', 'private')
        self.assertEqual(2, len(self.cloud.network.finds))

    def test_outside_a_validation_nothing_is_remembered(self):
        answers = iter([1, 2])
        self.assertEqual((1, 2), (
            validation.remembered(('k',), lambda: next(answers)),
            validation.remembered(('k',), lambda: next(answers))))
