"""Helpers for CFN template tests: templates in both CFN versions."""

from convergence.template import Template
from convergence.tests.unit.template import base

AWS = {'AWSTemplateFormatVersion': '2010-09-09'}
HEAT = {'HeatTemplateFormatVersion': '2012-12-12'}


def template(header=None, **sections) -> dict:
    """A CFN template: ``header`` (AWS by default) plus ``sections``."""
    return {**(header or AWS), **sections}


def one_resource(value, header=None, **sections) -> dict:
    """A CFN template whose resource ``r`` has property ``v: value``."""
    resources = {'r': {'Type': 'OS::Heat::None',
                       'Properties': {'v': value}}}
    resources.update(sections.pop('Resources', {}))
    return template(header, Resources=resources, **sections)


class CfnTestCase(base.TemplateTestCase):

    def resolve(self, value, header=None, params=None, resolver=None,
                **sections):
        """Resolve ``value`` as property ``v`` of resource ``r``."""
        stack = base.definition(one_resource(value, header, **sections),
                                params)
        return stack.resource_definition('r').properties(resolver)['v']

    def invalid(self, tmpl, error, **kwargs) -> str:
        """The message of validating ``tmpl``, which raises ``error``."""
        stack = base.definition(tmpl, **kwargs)
        return str(self.assertRaises(error, stack.validate))

    def structure_error(self, tmpl, error) -> str:
        return str(self.assertRaises(error, Template(tmpl).validate))
