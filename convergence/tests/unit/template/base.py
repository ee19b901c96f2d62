"""Helpers for template tests: build definitions, resolve snippets."""

import testtools

from convergence import exceptions
from convergence.template import (Environment, StackDefinition,
                                  StackIdentity, Template, parse_template)

IDENTITY = StackIdentity('stack-uuid', 'mystack', 'tenant-1')
LATEST = '2021-04-16'


class FakeResolver:
    """A resolver over fixed data: ``attrs[name][attr]``, ids ``<name>-id``."""

    def __init__(self, attrs=None):
        self.attrs = attrs or {}
        self.calls = []

    def reference_id(self, name):
        self.calls.append(('ref', name))
        return '%s-id' % name

    def attribute(self, name, attr):
        self.calls.append(('attr', name, attr))
        return self.attrs.get(name, {}).get(attr)

    def all_attributes(self, name):
        self.calls.append(('all', name))
        return dict(self.attrs.get(name, {}))


def definition(tmpl, params=None, env=None, files=None,
               identity=IDENTITY) -> StackDefinition:
    """A StackDefinition from a dict or YAML text."""
    return StackDefinition(Template(parse_template(tmpl), files),
                           Environment(env), params or {}, identity)


def one_resource(value, version=LATEST, parameters=None, conditions=None,
                 others=None):
    """A template whose resource ``r`` has property ``v: value``."""
    tmpl = {'heat_template_version': version,
            'resources': {'r': {'type': 'OS::Heat::None',
                                'properties': {'v': value}}}}
    if parameters:
        tmpl['parameters'] = parameters
    if conditions:
        tmpl['conditions'] = conditions
    for name in others or ():
        tmpl['resources'][name] = {'type': 'OS::Heat::None'}
    return tmpl


class TemplateTestCase(testtools.TestCase):

    def resolve(self, value, version=LATEST, parameters=None, params=None,
                files=None, resolver=None, conditions=None, others=None):
        """Resolve ``value`` as the property of a one-resource template."""
        tmpl = one_resource(value, version, parameters, conditions, others)
        stack = definition(tmpl, params, files=files)
        props = stack.resource_definition('r').properties(resolver)
        return props.get('v', 'OMITTED')

    def assertFails(self, fragment, value, error=exceptions.ConvergenceError,
                    **kwargs):
        """Resolving ``value`` raises ``error`` whose message holds
        ``fragment``; returns the exception."""
        exc = self.assertRaises(error, self.resolve, value, **kwargs)
        self.assertIn(fragment, str(exc))
        return exc
