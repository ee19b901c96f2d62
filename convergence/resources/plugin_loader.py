"""Resource types from plugin directories (Heat's ``plugin_dirs``).

Every Python module and package found in a configured directory is imported
when the engine starts; a module that defines ``resource_mapping()`` (and/or
``available_resource_mapping()``) returns ``{type name: plugin class}`` and
each entry is registered, a later directory overriding an earlier one.  A
directory that does not exist is skipped, as Heat skips its default ones.
A module that fails to import or maps to something that is not a plugin is
logged with the reason and skipped, so one broken plugin does not keep the
engine, and every other type, from starting.
"""

import hashlib
import importlib
import importlib.util
import logging
import os
import pkgutil
import sys
from collections.abc import Mapping
from types import ModuleType
from typing import Iterable, Iterator

from convergence import resources
from convergence.resources.base import Resource

LOG = logging.getLogger(__name__)

# The functions a plugin module may define, in Heat's names.
MAPPING_FUNCTIONS = ('resource_mapping', 'available_resource_mapping')


class InvalidPlugin(Exception):
    """A plugin module cannot be used; the message says which and why."""


def load_plugins(directories: Iterable[str]) -> dict[str, type[Resource]]:
    """Import the modules of ``directories`` and register their types.

    Returns:
        {type name: class} of every type registered, in loading order.
    """
    loaded = {}
    for directory in directories:
        if not os.path.isdir(directory):
            LOG.debug('plugin directory %s does not exist', directory)
            continue
        for module in _import_all(directory):
            try:
                mapping = module_mapping(module)
            except InvalidPlugin as exc:
                LOG.error('skipping plugin module %s: %s', module.__file__,
                          exc)
                continue
            for type_name, cls in mapping.items():
                _register(type_name, cls, module)
                loaded[type_name] = cls
    return loaded


def module_mapping(module: ModuleType) -> dict[str, type[Resource]]:
    """The types ``module`` provides (none if it has no mapping function).

    Raises:
        InvalidPlugin: a mapping function failed or returned something that
            is not {non-empty string: Resource subclass}.
    """
    mapping = {}
    for function_name in MAPPING_FUNCTIONS:
        function = getattr(module, function_name, None)
        if function is None:
            continue
        try:
            returned = function()
        except Exception as exc:
            raise InvalidPlugin('%s() raised %s: %s' % (
                function_name, type(exc).__name__, exc)) from exc
        mapping.update(_checked(function_name, returned))
    return mapping


def _checked(function_name: str, returned) -> dict[str, type[Resource]]:
    if not isinstance(returned, Mapping):
        raise InvalidPlugin('%s() returned %s, not a mapping of type names '
                            'to classes' % (function_name,
                                            type(returned).__name__))
    for type_name, cls in returned.items():
        if not isinstance(type_name, str) or not type_name:
            raise InvalidPlugin('%s() maps %r, which is not a type name'
                                % (function_name, type_name))
        if not (isinstance(cls, type) and issubclass(cls, Resource)):
            raise InvalidPlugin('%s() maps %s to %r, which is not a subclass '
                                'of convergence.resources.base.Resource'
                                % (function_name, type_name, cls))
    return dict(returned)


def _register(type_name: str, cls: type[Resource], module: ModuleType):
    if type_name in resources.type_names():
        LOG.warning('plugin %s overrides resource type %s', module.__file__,
                    type_name)
    resources.register(type_name, cls)
    LOG.info('resource type %s from plugin %s', type_name, module.__file__)


def _import_all(directory: str) -> Iterator[ModuleType]:
    """Each module and package (with its submodules) of ``directory``."""
    prefix = _namespace(directory)
    for info in sorted(pkgutil.iter_modules([directory]),
                       key=lambda i: i.name):
        name = '%s_%s' % (prefix, info.name)
        module = _import_file(name, os.path.join(directory, info.name),
                              info.ispkg)
        if module is None:
            continue
        yield module
        if info.ispkg:
            yield from _submodules(module)


def _namespace(directory: str) -> str:
    """A module-name prefix unique to ``directory`` (two dirs may both hold
    a ``plugin.py``)."""
    digest = hashlib.sha1(os.path.abspath(directory).encode()).hexdigest()
    return '_convergence_plugin_%s' % digest[:10]


def _import_file(name: str, path: str, is_package: bool) -> ModuleType | None:
    location = os.path.join(path, '__init__.py') if is_package else path + '.py'
    search = [path] if is_package else None
    spec = importlib.util.spec_from_file_location(
        name, location, submodule_search_locations=search)
    if spec is None:
        LOG.error('skipping plugin %s: not an importable Python file',
                  location)
        return None
    module = importlib.util.module_from_spec(spec)
    # registered first so that the module's own relative imports find it
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except Exception:
        del sys.modules[name]
        LOG.exception('skipping plugin module %s: import failed', location)
        return None
    return module


def _submodules(package: ModuleType) -> Iterator[ModuleType]:
    def failed(name):
        LOG.exception('skipping plugin module %s: import failed', name)
    for info in pkgutil.walk_packages(package.__path__,
                                      package.__name__ + '.', onerror=failed):
        try:
            yield importlib.import_module(info.name)
        except Exception:
            failed(info.name)
