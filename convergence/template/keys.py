"""How each template format spells its sections and keys.

HOT writes ``resources``/``type``/``depends_on``, CFN writes
``Resources``/``Type``/``DependsOn``: the same concepts under other names.
Code that reads a template asks its version's ``TemplateKeys`` for the
spelling, so one implementation serves both and every error message names
the key as the template wrote it.  A key a format lacks is None.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class TemplateKeys:
    """The spelling of every section and entry key of one format."""
    # top-level sections
    description: str
    parameters: str
    parameter_groups: str | None
    mappings: str | None
    resources: str
    outputs: str
    conditions: str
    # keys of a resource (description and condition: of an output too)
    type: str
    properties: str
    metadata: str
    depends_on: str
    deletion_policy: str
    update_policy: str
    external_id: str | None
    condition: str
    # keys of an output
    value: str


HOT_KEYS = TemplateKeys(
    description='description', parameters='parameters',
    parameter_groups='parameter_groups', mappings=None,
    resources='resources', outputs='outputs', conditions='conditions',
    type='type', properties='properties', metadata='metadata',
    depends_on='depends_on', deletion_policy='deletion_policy',
    update_policy='update_policy', external_id='external_id',
    condition='condition', value='value')

CFN_KEYS = TemplateKeys(
    description='Description', parameters='Parameters',
    parameter_groups=None, mappings='Mappings',
    resources='Resources', outputs='Outputs', conditions='Conditions',
    type='Type', properties='Properties', metadata='Metadata',
    depends_on='DependsOn', deletion_policy='DeletionPolicy',
    update_policy='UpdatePolicy', external_id=None,
    condition='Condition', value='Value')
