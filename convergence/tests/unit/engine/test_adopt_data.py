"""Adopt data: read, merged parameters, checked against the template."""

import testtools

from convergence import exceptions
from convergence.engine import adopt_data
from convergence.engine import stack_input

TEMPLATE = {'heat_template_version': '2015-10-15',
            'parameters': {'p': {'type': 'string', 'default': 'd'}},
            'resources': {
                'a': {'type': 'OS::Heat::TestResource'},
                'b': {'type': 'OS::Heat::None', 'depends_on': 'a'}}}


def _definition(template=TEMPLATE):
    return stack_input.definition(template, {'parameters': {}}, {},
                                  ('id', 'name', 'tenant'))


class ParseTest(testtools.TestCase):

    def test_json_text_and_objects(self):
        self.assertEqual({'resources': {}},
                         adopt_data.parse('{"resources": {}}'))
        self.assertEqual({'resources': {}},
                         adopt_data.parse({'resources': {}}))

    def test_bad_input_is_a_400(self):
        for raw in ('{not json', '[1]', '{"resources": []}', 5):
            error = self.assertRaises(exceptions.BadRequest,
                                      adopt_data.parse, raw)
            self.assertIn('Invalid adopt data', error.message)


class ParametersTest(testtools.TestCase):

    def test_the_requests_parameters_win(self):
        adopt = {'environment': {'parameters': {'p': 'old', 'q': 'kept'}}}
        params = adopt_data.with_parameters(
            {'parameters': {'p': 'new'}, 'resource_registry': {}}, adopt)
        self.assertEqual({'p': 'new', 'q': 'kept'}, params['parameters'])
        self.assertEqual({}, params['resource_registry'])


class CheckTest(testtools.TestCase):

    def test_entries_of_template_resources_pass(self):
        adopt_data.check(_definition(), {'resources': {
            'a': {'resource_id': '1', 'type': 'OS::Heat::TestResource'},
            'b': {'resource_id': '2'}}})

    def test_an_entry_for_no_resource_of_the_template(self):
        error = self.assertRaises(
            exceptions.StackValidationFailed, adopt_data.check,
            _definition(), {'resources': {'z': {}, 'y': {}}})
        self.assertEqual('Adopt data names resources that are not in the '
                         'template: y, z', error.message)

    def test_an_entry_of_another_type(self):
        error = self.assertRaises(
            exceptions.StackValidationFailed, adopt_data.check,
            _definition(), {'resources': {'b': {'type': 'OS::Heat::Value'}}})
        self.assertIn('gives resource b the type OS::Heat::Value',
                      error.message)

    def test_seeded_rows_carry_each_entry(self):
        entry = {'resource_id': 'phys', 'resource_data': {'value': 'v'}}
        rows = adopt_data.seeded_rows(
            _definition(), {'resources': {'a': entry}},
            {'id': 'sid', 'raw_template_id': 7})
        by_name = {row['name']: row for row in rows}
        self.assertEqual((entry, 'INIT', 7, 'sid'),
                         (by_name['a']['adopt_data'], by_name['a']['action'],
                          by_name['a']['current_template_id'],
                          by_name['a']['stack_id']))
        self.assertEqual({}, by_name['b']['adopt_data'])

    def test_a_nested_entry_holds_its_childs_adopt_data(self):
        child = {'x': {'resource_id': 'p'}}
        self.assertEqual({'resources': child}, adopt_data.child_adopt(
            {'type': 'n.yaml', 'resources': child}))
        self.assertEqual({'resources': {}}, adopt_data.child_adopt(None))
