"""Previewing a create and an update, as a user does: python-heatclient's
``stacks.preview`` / ``stacks.preview_update`` and ``openstack stack
create|update --dry-run``.

A preview answers what the operation would do and leaves nothing behind.
Against the reference Heat (CONVERGENCE_TEST_ENDPOINT) the update previews
with ``show_nested`` differ where Heat compares references as if nothing
existed: it shows the group's members and ``inner`` updated although the
update leaves them alone.
"""

import json
import os

import fixtures
from heatclient import exc as heat_exc

from functional_tests import base
from functional_tests import cli

PROVIDER = '''
heat_template_version: 2016-10-14
parameters:
  val: {type: string}
resources:
  inner:
    type: OS::Heat::TestResource
    properties: {value: {get_param: val}}
'''
TREE = '''
heat_template_version: 2016-10-14
parameters:
  count: {type: number, default: 2}
resources:
  rs:
    type: OS::Heat::RandomString
    properties: {length: 8}
  prov:
    type: prov.yaml
    properties: {val: {get_resource: rs}}
  group:
    type: OS::Heat::ResourceGroup
    properties:
      count: {get_param: count}
      resource_def:
        type: OS::Heat::TestResource
        properties: {value: {get_attr: [rs, value]}}
'''
FILES = {'prov.yaml': PROVIDER}


def _names(changes: dict) -> dict:
    return {change: sorted(r['resource_name'] for r in items)
            for change, items in changes.items()}


def _flat(items: list) -> list:
    out = []
    for item in items:
        out.extend(_flat(item) if isinstance(item, list) else [item])
    return out


class PreviewTest(base.FunctionalTestCase):

    def test_a_create_preview_lists_the_tree_and_stores_nothing(self):
        name = self.stack_name()
        stack = self.client.stacks.preview(stack_name=name, template=TREE,
                                           files=FILES, parameters={})
        self.assertEqual('None', stack.id)
        self.assertNotIn('stack_status', stack.to_dict())
        nested = [r for r in stack.resources if isinstance(r, list)]
        self.assertEqual([1, 2], sorted(len(n) for n in nested))
        by_name = {r['resource_name']: r for r in _flat(stack.resources)}
        self.assertEqual(['0', '1', 'inner', 'rs'], sorted(by_name))
        self.assertEqual(('prov', 'rs'),
                         (by_name['inner']['parent_resource'],
                          by_name['inner']['properties']['value']))
        self.assertEqual('INIT_COMPLETE', '%s_%s' % (
            by_name['rs']['resource_action'],
            by_name['rs']['resource_status']))
        self.assertNotIn(name, [s.stack_name for s in
                                self.client.stacks.list(show_nested=True)])

    def test_a_create_preview_refuses_what_a_create_refuses(self):
        name = self.stack_name()
        self.create_stack('heat_template_version: 2016-10-14', name=name)
        error = self.assertRaises(
            heat_exc.HTTPConflict, self.client.stacks.preview,
            stack_name=name, template=TREE, files=FILES)
        self.assertIn('already exists', str(error))
        error = self.assertRaises(
            heat_exc.HTTPBadRequest, self.client.stacks.preview,
            stack_name=self.stack_name(), template=TREE)
        self.assertIn('prov.yaml', str(error))

    def test_an_update_preview_changes_nothing(self):
        identifier = self.create_stack(TREE, files=FILES)
        before = (self.physical_ids(identifier),
                  [e.id for e in self.events(identifier)])
        result = self.client.stacks.preview_update(
            identifier, template=TREE, files=FILES,
            parameters={'count': 3}, show_nested=True)
        self.assertEqual({'added': ['2'], 'deleted': [], 'replaced': [],
                          'updated': ['group', 'prov'],
                          'unchanged': ['0', '1', 'inner', 'rs']},
                         _names(result['resource_changes']))
        self.assertEqual('CREATE_COMPLETE', self.stack_status(identifier))
        self.assertEqual(before, (self.physical_ids(identifier),
                                  [e.id for e in self.events(identifier)]))

    def test_an_update_preview_follows_replacements_to_their_dependants(self):
        identifier = self.create_stack(TREE, files=FILES)
        longer = TREE.replace('length: 8', 'length: 9')
        changes = _names(self.client.stacks.preview_update(
            identifier, template=longer, files=FILES,
            parameters={})['resource_changes'])
        self.assertEqual({'added': [], 'deleted': [], 'replaced': ['rs'],
                          'updated': ['group', 'prov'], 'unchanged': []},
                         changes)
        # Then the update does what the preview said.
        before = self.physical_ids(identifier)
        self.update_stack(identifier, template=longer, files=FILES)
        after = self.physical_ids(identifier)
        self.assertNotEqual(before['rs'], after['rs'])
        self.assertEqual(before['prov'], after['prov'])


class PreviewCliTest(cli.CliMixin, base.FunctionalTestCase):

    def test_dry_runs_of_create_and_update(self):
        directory = self.useFixture(fixtures.TempDir()).path
        for file_name, text in (('top.yaml', TREE), ('prov.yaml', PROVIDER)):
            with open(os.path.join(directory, file_name), 'w') as f:
                f.write(text)
        top = os.path.join(directory, 'top.yaml')
        name = self.stack_name()
        shown = json.loads(self.openstack('stack', 'create', '--dry-run',
                                          '-t', top, name, '-f', 'json'))
        self.assertEqual(['0', '1', 'inner', 'rs'], sorted(
            r['resource_name'] for r in _flat(shown['resources'])))
        self.assertNotIn(name, self.openstack('stack', 'list'))
        self.openstack('stack', 'create', '--wait', '-t', top, name)
        changes = json.loads(self.openstack(
            'stack', 'update', '--dry-run', '--show-nested', '-t', top,
            '--parameter', 'count=1', name, '-f', 'json'))
        self.assertEqual({'added': [], 'deleted': ['1'], 'replaced': [],
                          'updated': ['group', 'prov'],
                          'unchanged': ['0', 'inner', 'rs']},
                         _names(changes))
