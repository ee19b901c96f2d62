import testtools

from convergence.nested import child


class InParentTest(testtools.TestCase):

    def test_a_path_gains_the_parent_resource(self):
        self.assertEqual(
            'ValueError: resources.victim.resources.oops: Test failed',
            child.in_parent('victim',
                            'ValueError: resources.oops: Test failed'))

    def test_a_path_at_the_start(self):
        self.assertEqual('resources.g.resources.0.properties.x: bad',
                         child.in_parent('g', 'resources.0.properties.x: bad'))

    def test_only_the_first_path_and_never_a_word(self):
        self.assertEqual(
            'resources.n: Please delete some resources.',
            child.in_parent('n', 'Please delete some resources.'))
        self.assertEqual(
            'E: resources.n.resources.a: see resources.b',
            child.in_parent('n', 'E: resources.a: see resources.b'))
