"""The software config types: OS::Heat::SoftwareConfig, StructuredConfig,
CloudConfig and SoftwareComponent.

Each stores one immutable config in the software config store (the one the
software_configs API serves) at create; ``get_resource`` gives its id, the
``config`` attribute (``configs`` for a component) its config, and a delete
removes it (refused while a deployment uses it, as Heat refuses).  No
property changes in place: a change replaces the resource, so a new config
is made and the old one deleted.

The config's id is derived from the resource's uuid, so a create repeated
after an engine died stores one config, not two.
"""

import uuid

import yaml

from convergence import exceptions
from convergence.resources import constraints as constr
from convergence.resources.base import Resource
from convergence.resources.properties import LIST, MAP, STRING, Schema
from convergence.software_config import configs
from convergence.software_config import io_schema
from convergence.template.unresolved import contains_unresolved

GROUP, CONFIG, OPTIONS, INPUTS, OUTPUTS = (
    'group', 'config', 'options', 'inputs', 'outputs')
CLOUD_CONFIG, CONFIGS = 'cloud_config', 'configs'
ACTIONS, TOOL = 'actions', 'tool'
UNGROUPED = 'Heat::Ungrouped'
COMPONENT_GROUP = 'component'
CLOUD_CONFIG_HEADER = '#cloud-config\n'
# The resource data key of the stored config's ``config``, so attributes
# resolve without a read of the store.
CONFIG_DATA = 'config'
# Namespace of the config ids derived from resource uuids.
CONFIG_ID_NAMESPACE = uuid.UUID('0b7a3c58-7a43-4f5e-9d1c-6a0f3e6c1d21')

GROUP_SCHEMA = Schema(
    STRING, 'Namespace to group this software config by when delivered to '
    'a server; may imply the configuration tool.', default=UNGROUPED)
OPTIONS_SCHEMA = Schema(
    MAP, 'Options specific to the configuration management tool.')
INPUTS_SCHEMA = Schema(
    LIST, 'The inputs this software config expects.',
    schema=Schema(MAP, schema=io_schema.INPUT_SCHEMA))
OUTPUTS_SCHEMA = Schema(
    LIST, 'The outputs this software config produces.',
    schema=Schema(MAP, schema=io_schema.OUTPUT_SCHEMA))


def store(context):
    """The software config store an action's ``context`` gives (the
    config and deployment types act on it)."""
    if context.software_configs is None:
        raise exceptions.Error('no software config store is given to this '
                               'action')
    return context.software_configs


def _declared(items) -> list | None:
    """Declarations as given (a property left unset is None after
    validation, and means "not given")."""
    if items is None:
        return None
    return [{k: v for k, v in item.items() if v is not None}
            for item in items]


class SoftwareConfig(Resource):
    """A script or manifest, with its inputs' and outputs' schemas."""

    retry_safe = True
    properties_schema = {
        GROUP: GROUP_SCHEMA,
        CONFIG: Schema(STRING, 'Configuration script or manifest.'),
        OPTIONS: OPTIONS_SCHEMA,
        INPUTS: INPUTS_SCHEMA,
        OUTPUTS: OUTPUTS_SCHEMA,
    }
    attributes_schema = {CONFIG: 'The config value of the software config.'}
    attribute_types = {CONFIG: 'string'}
    support_version = '2014.1'

    def config_values(self) -> dict:
        """What the stored config holds: group, config, inputs, outputs,
        options (Heat's create_software_config arguments)."""
        return {'group': self.properties[GROUP],
                'config': self.properties[CONFIG],
                'inputs': _declared(self.properties[INPUTS]),
                'outputs': _declared(self.properties[OUTPUTS]),
                'options': self.properties[OPTIONS]}

    def _store(self):
        return store(self.context)

    def handle_create(self) -> None:
        values = self.config_values()
        config_id = str(uuid.uuid5(CONFIG_ID_NAMESPACE,
                                   self.context.resource_uuid))
        stored = configs.create(
            self._store(), self.context.tenant, values['group'],
            self.physical_resource_name(), values['config'],
            values.get('inputs'), values.get('outputs'),
            values.get('options'), config_id=config_id)
        self.data_set(CONFIG_DATA, stored['config']['config'])
        self.resource_id_set(stored['id'])

    def handle_delete(self) -> None:
        if self.resource_id is None:
            return
        try:
            configs.delete(self._store(), self.context.tenant,
                           self.resource_id)
        except exceptions.NotFound:
            pass  # already gone, as Heat ignores

    def _resolve_attribute(self, name: str) -> object:
        if name == CONFIG and self.resource_id:
            return self.data_get(CONFIG_DATA)
        return None


class StructuredConfig(SoftwareConfig):
    """As SoftwareConfig, with a map as the config (stored as JSON)."""

    properties_schema = dict(SoftwareConfig.properties_schema, **{
        CONFIG: Schema(MAP, 'The configuration data structure, serialized '
                       'as JSON.')})


class CloudConfig(SoftwareConfig):
    """cloud-init cloud-config, formatted as YAML."""

    properties_schema = {
        CLOUD_CONFIG: Schema(MAP, 'The cloud-config data structure, '
                             'formatted as YAML.')}

    def config_values(self) -> dict:
        text = yaml.safe_dump(self.properties[CLOUD_CONFIG])
        return {'group': UNGROUPED, 'config': CLOUD_CONFIG_HEADER + text}


class SoftwareComponent(SoftwareConfig):
    """Configs for the lifecycle actions of one software component."""

    properties_schema = {
        CONFIGS: Schema(
            LIST, 'The configurations for the lifecycle actions of the '
            'component.', required=True,
            constraints=[constr.Length(min=1)],
            schema=Schema(MAP, schema={
                ACTIONS: Schema(
                    LIST, 'Lifecycle actions the configuration applies to.',
                    default=['CREATE', 'UPDATE'],
                    constraints=[constr.Length(min=1)],
                    schema=Schema(STRING)),
                CONFIG: SoftwareConfig.properties_schema[CONFIG],
                TOOL: Schema(STRING, 'The configuration tool that applies '
                             'the configuration on a server.',
                             required=True)})),
        INPUTS: INPUTS_SCHEMA,
        OUTPUTS: OUTPUTS_SCHEMA,
        OPTIONS: OPTIONS_SCHEMA,
    }
    attributes_schema = {CONFIGS: 'The list of configurations for the '
                         'component\'s lifecycle actions.'}
    attribute_types = {CONFIGS: 'list'}
    support_version = '2014.2'

    @classmethod
    def check_properties(cls, resource_name: str, props: dict) -> None:
        """One configuration per action at most."""
        if contains_unresolved(props[CONFIGS]):
            return
        seen = set()
        for item in props[CONFIGS]:
            actions = set(item[ACTIONS] or [])
            if actions & seen:
                raise exceptions.StackValidationFailed(
                    'Defining more than one configuration for the same '
                    'action in SoftwareComponent "%s" is not allowed.'
                    % resource_name)
            seen |= actions

    def config_values(self) -> dict:
        return {'group': COMPONENT_GROUP,
                'config': {CONFIGS: self.properties[CONFIGS]},
                'inputs': _declared(self.properties[INPUTS]),
                'outputs': _declared(self.properties[OUTPUTS]),
                'options': self.properties[OPTIONS]}

    def _resolve_attribute(self, name: str) -> object:
        if name == CONFIGS and self.resource_id:
            return (self.data_get(CONFIG_DATA) or {}).get(CONFIGS)
        return None
