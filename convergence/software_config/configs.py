"""Software configs in their store: made, read and deleted as heat-engine
does, for the RPC calls and the config resource types alike.

``store`` is a convergence.ports.SoftwareConfigs; a config is one tenant's
and is "not found" for any other.
"""

import uuid
from collections.abc import Mapping

from convergence import exceptions
from convergence.software_config import io_schema

DOCUMENT_KEYS = ('inputs', 'outputs', 'options', 'config')


def not_found(config_id) -> exceptions.NotFound:
    return exceptions.NotFound(
        message='Software config with id %s not found' % config_id)


def _text_or_none(name: str, value):
    if value is not None and not isinstance(value, str):
        raise exceptions.Invalid(reason='"%s" must be a string' % name)
    return value


def create(store, tenant: str, group, name, config, inputs=None,
           outputs=None, options=None, config_id: str | None = None) -> dict:
    """Store a new config (with ``config_id``, a new uuid by default);
    returns its row.  A config of that id already stored is returned as is,
    so a create repeated with the same id stores one config.

    Raises:
        Invalid: a bad input/output declaration, options not a map, or a
            name or group that is not a string; nothing is stored.
    """
    if options is not None and not isinstance(options, Mapping):
        raise exceptions.Invalid(reason='"options" must be a map')
    document = {'inputs': io_schema.inputs(inputs),
                'outputs': io_schema.outputs(outputs),
                'options': dict(options or {}), 'config': config}
    if config_id is not None:
        existing = store.software_config_get(config_id)
        if existing is not None:
            return existing
    row = {'id': config_id or str(uuid.uuid4()), 'group': _text_or_none('group', group),
           'name': _text_or_none('name', name), 'config': document,
           'tenant': tenant}
    store.software_config_create(row)
    return store.software_config_get(row['id'])


def get(store, tenant: str, config_id) -> dict:
    """The tenant's config.  Raises NotFound."""
    config = (store.software_config_get(config_id)
              if isinstance(config_id, str) else None)
    if config is None or config['tenant'] != tenant:
        raise not_found(config_id)
    return config


def delete(store, tenant: str, config_id) -> None:
    """Remove the tenant's config.

    Raises:
        NotFound: no such config of this tenant.
        InvalidRestrictedAction: a deployment refers to it (it stays).
    """
    get(store, tenant, config_id)
    if not store.software_config_delete(config_id):
        raise exceptions.InvalidRestrictedAction(
            message='Software config with id %s can not be deleted as it is '
                    'referenced.' % config_id)
