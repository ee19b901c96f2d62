"""The per-process cache of parsed stack definitions."""

import testtools

from convergence import definitions
from convergence.engine import stack_input

TEMPLATE = {'heat_template_version': '2018-08-31',
            'resources': {'a': {'type': 'OS::Heat::None'}}}


class _Templates:
    """Stored templates by id; counts how often one is read."""

    def __init__(self, stored: dict):
        self.stored = stored
        self.reads = 0

    def raw_template_get(self, template_id):
        self.reads += 1
        return dict(self.stored, id=template_id)


class TestRemember(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.stack = {'id': 's', 'name': 'n', 'tenant': 't'}

    def _remembered(self, template: dict):
        stored = {'template': template, 'environment': {}, 'files': {}}
        db = _Templates(stored)
        cache = definitions.DefinitionCache(db)
        validated = stack_input.definition(template, {}, {}, ('s', 'n', 't'))
        cache.remember(7, validated, stored)
        return cache.get(7, self.stack), validated, db

    def test_the_validated_definition_is_used(self):
        found, validated, db = self._remembered(TEMPLATE)
        self.assertIs(validated, found)
        self.assertEqual(0, db.reads)

    def test_one_that_json_would_change_is_read_back_instead(self):
        template = dict(TEMPLATE, resources={'a': {
            'type': 'OS::Heat::None', 'properties': {'value': {1: 'one'}}}})
        found, validated, db = self._remembered(template)
        self.assertIsNot(validated, found)
        self.assertEqual(1, db.reads)


class TestForget(testtools.TestCase):

    def test_a_forgotten_template_is_read_again(self):
        stored = {'template': TEMPLATE, 'environment': {}, 'files': {}}
        db = _Templates(stored)
        cache = definitions.DefinitionCache(db)
        stack = {'id': 's', 'name': 'n', 'tenant': 't'}
        first = cache.get(7, stack)
        self.assertIs(first, cache.get(7, stack))
        cache.forget([7, 8])
        self.assertIsNot(first, cache.get(7, stack))
        self.assertEqual(2, db.reads)


class TestBoundedInBytes(testtools.TestCase):
    """Given a cache of a few kilobytes, when large templates are read,
    then the least recently used go once their text passes the bound."""

    def setUp(self):
        super().setUp()
        self.stack = {'id': 's', 'name': 'n', 'tenant': 't'}
        large = dict(TEMPLATE, description='x' * 1000)
        self.db = _Templates({'template': large, 'environment': {},
                              'files': {}})
        self.cache = definitions.DefinitionCache(self.db, max_bytes=3500)

    def test_large_templates_push_the_oldest_out(self):
        for template_id in range(5):
            self.cache.get(template_id, self.stack)
        self.assertLessEqual(self.cache.cached_bytes, 3500)
        self.cache.get(4, self.stack)
        self.cache.get(3, self.stack)
        self.assertEqual(5, self.db.reads)
        self.cache.get(0, self.stack)
        self.assertEqual(6, self.db.reads)

    def test_one_larger_than_the_bound_is_still_kept(self):
        cache = definitions.DefinitionCache(self.db, max_bytes=10)
        first = cache.get(1, self.stack)
        self.assertIs(first, cache.get(1, self.stack))
        cache.get(2, self.stack)
        self.assertIsNot(first, cache.get(1, self.stack))
        self.assertEqual(3, self.db.reads)

    def test_forgetting_frees_the_bytes(self):
        self.cache.get(1, self.stack)
        self.assertGreater(self.cache.cached_bytes, 1000)
        self.cache.forget([1])
        self.assertEqual(0, self.cache.cached_bytes)

    def test_the_default_bound_is_in_bytes_not_entries(self):
        cache = definitions.DefinitionCache(self.db)
        for template_id in range(300):
            cache.get(template_id, self.stack)
        self.assertEqual(300, self.db.reads)
        cache.get(0, self.stack)
        self.assertEqual(300, self.db.reads)
