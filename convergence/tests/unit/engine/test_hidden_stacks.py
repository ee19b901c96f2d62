"""hidden_stack_tags: stacks carrying one are listed only with show_hidden."""

import testtools

from convergence.tests.scenarios import framework

TEMPLATE = {'heat_template_version': '2015-10-15',
            'resources': {'a': {'type': 'OS::Heat::None'}}}


class HiddenStacksTest(testtools.TestCase):
    """Given stacks with and without a hidden tag, when stacks are listed or
    counted, then the tagged ones show only when show_hidden is asked for."""

    def setUp(self):
        super().setUp()
        scenario = framework.Scenario(self)
        self.service = scenario.engine_service
        self.service.conf.hidden_stack_tags = ['hide_me', 'me_too']
        self.context = scenario.context
        for name, tags in (('plain', None), ('other', ['kept']),
                           ('hidden', ['kept', 'me_too'])):
            self.service.create_stack(self.context, name, TEMPLATE, {}, {},
                                      {'tags': tags} if tags else {})

    def names(self, **kwargs) -> set:
        return {s['stack_name']
                for s in self.service.list_stacks(self.context, **kwargs)}

    def test_list_and_count_leave_hidden_stacks_out(self):
        self.assertEqual({'plain', 'other'}, self.names())
        self.assertEqual(2, self.service.count_stacks(self.context))

    def test_show_hidden_lists_them(self):
        self.assertEqual({'plain', 'other', 'hidden'},
                         self.names(show_hidden=True))
        self.assertEqual(3, self.service.count_stacks(self.context,
                                                      show_hidden=True))

    def test_tag_filters_apply_to_what_is_visible(self):
        self.assertEqual({'other'}, self.names(tags=['kept']))
        self.assertEqual({'other', 'hidden'},
                         self.names(tags=['kept'], show_hidden=True))

    def test_no_hidden_tags_hides_nothing(self):
        self.service.conf.hidden_stack_tags = []
        self.assertEqual({'plain', 'other', 'hidden'}, self.names())
