"""Many large templates: the definition cache is bounded in bytes.

Each stack's template is some 500 KB of small map entries (a parsed
definition of it takes megabytes).  A cache bounded by a count (256) kept
every one of them: 280 such stacks took the server from 164 MB to 1.92 GB.
Bounded by the bytes of stored template text, the server stays under
``base.RSS_LIMIT_MB`` however many there are.
"""

from functional_tests.hostile import base

STACKS = 60
# Map entries per template: some 500 KB as JSON.
ENTRIES = 23000


def _large_template(index: int) -> dict:
    data = {'k%05d' % i: 'v%d-%d' % (index, i) for i in range(ENTRIES)}
    return base.template({'r': {'type': 'OS::Heat::None',
                                'properties': {'data': data}}})


class DefinitionCacheTest(base.HostileTestCase):

    def test_many_large_templates_stay_within_the_memory_bound(self):
        with self.sampler() as sampler:
            for index in range(STACKS):
                self.create_stack(_large_template(index))
                if index % 10 == 9:
                    print('%d stacks of 500 KB templates: RSS %.0f MB'
                          % (index + 1, self.rss_mb()))
        self.assertRssBounded(sampler, '%d large stacks' % STACKS)
