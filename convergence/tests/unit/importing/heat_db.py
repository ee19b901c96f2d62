"""A Heat-shaped database for the import's tests: Heat 27's tables (the
columns heat/db/models.py gives them that the import reads, JSON as text,
as Heat stores it) in a SQLite file, and rows made as heat-engine makes
them for a converged stack.
"""

import datetime
import json
import os
import tempfile
import uuid

import sqlalchemy as sa

from convergence.importing import heat_crypt

_META = sa.MetaData()
_S, _I, _T, _B, _D = (sa.String(255), sa.Integer, sa.Text, sa.Boolean,
                      sa.DateTime)


def _table(name, *columns):
    return sa.Table(name, _META, sa.Column('id', _S if name in (
        'stack', 'snapshot', 'service') else _I, primary_key=True), *columns)


STACK = _table('stack', *(sa.Column(c, t) for c, t in (
    ('name', _S), ('tenant', _S), ('username', _S), ('raw_template_id', _I),
    ('prev_raw_template_id', _I), ('current_traversal', _S),
    ('current_deps', _T), ('action', _S), ('status', _S),
    ('status_reason', _T), ('timeout', _I), ('disable_rollback', _B),
    ('owner_id', _S), ('parent_resource_name', _S), ('nested_depth', _I),
    ('convergence', _B), ('backup', _B), ('user_creds_id', _I),
    ('created_at', _D), ('updated_at', _D), ('deleted_at', _D))))
RAW_TEMPLATE = _table('raw_template', *(sa.Column(c, t) for c, t in (
    ('template', _T), ('files', _T), ('files_id', _I), ('environment', _T),
    ('created_at', _D), ('updated_at', _D))))
RAW_TEMPLATE_FILES = _table('raw_template_files', sa.Column('files', _T),
                            sa.Column('created_at', _D))
RESOURCE = _table('resource', *(sa.Column(c, t) for c, t in (
    ('uuid', _S), ('name', _S), ('nova_instance', _S),
    ('rsrc_metadata', _T), ('stack_id', _S), ('root_stack_id', _S),
    ('action', _S), ('status', _S), ('status_reason', _T),
    ('rsrc_prop_data_id', _I), ('attr_data_id', _I),
    ('properties_data', _T), ('properties_data_encrypted', _B),
    ('engine_id', _S), ('atomic_key', _I), ('needed_by', _T),
    ('requires', _T), ('replaces', _I), ('replaced_by', _I),
    ('current_template_id', _I), ('created_at', _D), ('updated_at', _D))))
PROPERTIES = _table('resource_properties_data', sa.Column('data', _T),
                    sa.Column('encrypted', _B), sa.Column('created_at', _D))
RESOURCE_DATA = _table('resource_data', *(sa.Column(c, t) for c, t in (
    ('key', _S), ('value', _T), ('redact', _B), ('decrypt_method', _S),
    ('resource_id', _I), ('created_at', _D))))
EVENT = _table('event', *(sa.Column(c, t) for c, t in (
    ('uuid', _S), ('stack_id', _S), ('resource_action', _S),
    ('resource_status', _S), ('resource_name', _S),
    ('physical_resource_id', _S), ('resource_status_reason', _S),
    ('resource_type', _S), ('rsrc_prop_data_id', _I),
    ('resource_properties', sa.LargeBinary), ('created_at', _D))))
STACK_TAG = _table('stack_tag', sa.Column('tag', _S),
                   sa.Column('stack_id', _S))
SNAPSHOT = _table('snapshot', *(sa.Column(c, t) for c, t in (
    ('stack_id', _S), ('name', _S), ('data', _T), ('tenant', _S),
    ('action', _S), ('status', _S), ('status_reason', _S),
    ('created_at', _D), ('updated_at', _D))))

SERVICE = _table('service', *(sa.Column(c, t) for c, t in (
    ('engine_id', _S), ('host', _S), ('hostname', _S), ('binary', _S),
    ('topic', _S), ('report_interval', _I), ('created_at', _D),
    ('updated_at', _D), ('deleted_at', _D))))

T0 = datetime.datetime(2026, 12, 1, 10, 0, 0)


def encrypted(value: str, key: str = heat_crypt.HEAT_DEFAULT_KEY) -> str:
    """``value`` as Heat 27 encrypts redacted resource data."""
    from cryptography import fernet
    return fernet.Fernet(heat_crypt.fernet_key(key)).encrypt(
        value.encode()).decode()


class HeatDatabase:
    """A SQLite Heat database; ``add_*`` insert rows as Heat would."""

    def __init__(self):
        directory = tempfile.mkdtemp(prefix='convergence-heatdb-')
        self.url = 'sqlite:///' + os.path.join(directory, 'heat.sqlite')
        self.engine = sa.create_engine(self.url)
        _META.create_all(self.engine)
        self._next = {}

    def _insert(self, table, **values) -> object:
        with self.engine.begin() as connection:
            return connection.execute(table.insert(), values) \
                .inserted_primary_key[0]

    def add_template(self, template: dict, parameters: dict | None = None,
                     files: dict | None = None, **environment) -> int:
        files_id = self._insert(RAW_TEMPLATE_FILES,
                                files=json.dumps(files)) if files else None
        env = {'resource_registry': {'resources': {}},
               'parameters': parameters or {}, 'parameter_defaults': {},
               'event_sinks': [], 'encrypted_param_names': []}
        env.update(environment)
        return self._insert(RAW_TEMPLATE, template=json.dumps(template),
                            files=json.dumps(None), files_id=files_id,
                            environment=json.dumps(env), created_at=T0)

    def add_stack(self, name: str, template_id: int, **values) -> str:
        stack_id = values.pop('id', None) or str(uuid.uuid4())
        row = dict(id=stack_id, name=name, tenant='admin', username='admin',
                   raw_template_id=template_id, prev_raw_template_id=None,
                   current_traversal=str(uuid.uuid4()), action='CREATE',
                   status='COMPLETE',
                   status_reason='Stack CREATE completed successfully',
                   timeout=None, disable_rollback=True, owner_id=None,
                   parent_resource_name=None, nested_depth=0,
                   convergence=True, backup=False, created_at=T0)
        row.update(values)
        self._insert(STACK, **row)
        return stack_id

    def add_resource(self, stack_id: str, name: str, template_id: int,
                     physical_id: str | None = None,
                     properties: dict | None = None,
                     data: dict | None = None, redacted: dict | None = None,
                     attributes: dict | None = None, requires=(),
                     **values) -> int:
        prop_id = self._properties(properties)
        row = dict(uuid=str(uuid.uuid4()), name=name,
                   nova_instance=physical_id, rsrc_metadata='{}',
                   stack_id=stack_id, root_stack_id=stack_id,
                   action='CREATE', status='COMPLETE',
                   status_reason='state changed', rsrc_prop_data_id=prop_id,
                   attr_data_id=self._properties(attributes),
                   properties_data='null', properties_data_encrypted=False,
                   engine_id=None, atomic_key=2, needed_by='[]',
                   requires=json.dumps(list(requires)),
                   current_template_id=template_id, created_at=T0)
        row.update(values)
        resource_id = self._insert(RESOURCE, **row)
        for key, value in (data or {}).items():
            self._insert(RESOURCE_DATA, key=key, value=value, redact=False,
                         resource_id=resource_id, created_at=T0)
        for key, value in (redacted or {}).items():
            self._insert(RESOURCE_DATA, key=key, value=encrypted(value),
                         redact=True,
                         decrypt_method=heat_crypt.FERNET_METHOD,
                         resource_id=resource_id, created_at=T0)
        return resource_id

    def _properties(self, data: dict | None, encrypted: bool = False):
        if data is None:
            return None
        return self._insert(PROPERTIES, data=json.dumps(data),
                            encrypted=encrypted, created_at=T0)

    def add_event(self, stack_id: str, name: str, status: str,
                  reason: str = 'state changed', **values) -> None:
        row = dict(uuid=str(uuid.uuid4()), stack_id=stack_id,
                   resource_action='CREATE', resource_status=status,
                   resource_name=name, physical_resource_id=None,
                   resource_status_reason=reason,
                   resource_type='OS::Heat::None', created_at=T0)
        row.update(values)
        self._insert(EVENT, **row)

    def add_service(self, engine_id: str, reported: datetime.datetime,
                    **values) -> None:
        """A heat-engine's row, reporting every 60 s (Heat's default)."""
        row = dict(id=str(uuid.uuid4()), engine_id=engine_id,
                   host='host-' + engine_id, hostname='h',
                   binary='heat-engine', topic='engine', report_interval=60,
                   created_at=reported, updated_at=reported, deleted_at=None)
        row.update(values)
        self._insert(SERVICE, **row)

    def add_tag(self, stack_id: str, tag: str) -> None:
        self._insert(STACK_TAG, stack_id=stack_id, tag=tag)

    def update(self, table, row_id, **values) -> None:
        with self.engine.begin() as connection:
            connection.execute(table.update().where(
                table.c.id == row_id).values(**values))

    def dispose(self) -> None:
        self.engine.dispose()
        os.remove(self.url[len('sqlite:///'):])
        os.rmdir(os.path.dirname(self.url[len('sqlite:///'):]))


HOT = '2018-08-31'
FLAT_TEMPLATE = {
    'heat_template_version': HOT,
    'parameters': {'greeting': {'type': 'string', 'default': 'hello'}},
    'resources': {
        'rand': {'type': 'OS::Heat::RandomString',
                 'properties': {'length': 12}},
        'test': {'type': 'OS::Heat::TestResource', 'properties': {
            'value': {'list_join': ['-', [{'get_param': 'greeting'},
                                          {'get_attr': ['rand', 'value']}]]}}},
        'none': {'type': 'OS::Heat::None', 'depends_on': 'test'}},
    'outputs': {'word': {'value': {'get_attr': ['test', 'output']}},
                'rand_ref': {'value': {'get_resource': 'rand'}}},
}


def add_flat(heat: HeatDatabase, name: str = 'flat', value: str = 'abc',
             **stack_values) -> tuple[str, dict]:
    """The flat stack as heat-engine leaves it created; (id, row ids)."""
    template_id = heat.add_template(FLAT_TEMPLATE, {'greeting': 'hi'})
    stack_id = heat.add_stack(name, template_id, **stack_values)
    rand = heat.add_resource(stack_id, 'rand', template_id,
                             '%s-rand-x' % name, {'length': 12},
                             redacted={'value': value})
    test = heat.add_resource(stack_id, 'test', template_id,
                             '%s-test-x' % name, {'value': 'hi-' + value},
                             data={'value': 'hi-' + value}, requires=[rand])
    none = heat.add_resource(stack_id, 'none', template_id,
                             str(uuid.uuid4()),
                             data={'is_placeholder': 'True'}, requires=[test])
    heat.add_event(stack_id, name, 'IN_PROGRESS', 'Stack CREATE started',
                   resource_type='OS::Heat::Stack',
                   physical_resource_id=stack_id)
    heat.add_event(stack_id, 'rand', 'COMPLETE',
                   resource_type='OS::Heat::RandomString',
                   rsrc_prop_data_id=None)
    return stack_id, {'rand': rand, 'test': test, 'none': none,
                      'template': template_id}
