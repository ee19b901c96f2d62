"""The pure template package: parsing, versions, functions, definitions.

Imports no database, transport or messaging code.  The engine builds one
``StackDefinition`` per stored template and resolves resource properties
through a ``Resolver`` it implements from the data that travels with a
trigger.
"""

from convergence.template.environment import Environment
from convergence.template.function import Reference, Resolver
from convergence.template.parameters import StackIdentity
from convergence.template.resource_definition import ResourceDefinition
from convergence.template.stack_definition import StackDefinition
from convergence.template.template import Template
from convergence.template.template_format import (parse_environment,
                                                  parse_template)
from convergence.template.unresolved import UNRESOLVED, contains_unresolved
from convergence.template.versions import (available_versions,
                                           template_functions,
                                           template_versions)

__all__ = [
    'Environment', 'Reference', 'Resolver', 'ResourceDefinition',
    'StackDefinition', 'StackIdentity', 'Template', 'UNRESOLVED',
    'available_versions', 'contains_unresolved', 'parse_environment',
    'parse_template', 'template_functions', 'template_versions',
]
