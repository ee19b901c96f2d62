"""Heat's database, read: its live stacks and everything they stand on.

The only module of the import that talks to Heat's database (MariaDB or
PostgreSQL, Heat 27.0.1's schema, heat/db/models.py).  Tables are reflected,
so no Heat code is needed; rows come out as plain dicts with Heat's JSON
columns parsed.  Nothing is written.
"""

import dataclasses
import json

import sqlalchemy as sa

# Heat's tables the import reads.
TABLES = ('stack', 'raw_template', 'raw_template_files', 'resource',
          'resource_properties_data', 'resource_data', 'event', 'stack_tag',
          'snapshot', 'service')
_JSON_COLUMNS = {
    'raw_template': ('template', 'files', 'environment'),
    'raw_template_files': ('files',),
    'resource': ('rsrc_metadata', 'properties_data', 'needed_by',
                 'requires'),
    'resource_properties_data': ('data',),
    'stack': ('current_deps',),
    'snapshot': ('data',),
}


class NotHeatDatabase(Exception):
    """The database lacks Heat's tables (or is not Heat 27's)."""


@dataclasses.dataclass
class HeatDump:
    """What the import reads of Heat, keyed as Heat keys it.

    ``stacks``: live stack rows; ``templates``: raw_template id -> row with
    ``files`` filled from raw_template_files; ``resources``, ``events``,
    ``tags``, ``snapshots``: stack id -> rows; ``properties``:
    resource_properties_data id -> row; ``resource_data``: resource id ->
    rows.
    """

    stacks: list[dict]
    templates: dict[int, dict]
    resources: dict[str, list[dict]]
    properties: dict[int, dict]
    resource_data: dict[int, list[dict]]
    events: dict[str, list[dict]]
    tags: dict[str, list[str]]
    snapshots: dict[str, list[dict]]
    # heat-engines' service rows, not deleted.
    services: list[dict]


def read(url: str) -> HeatDump:
    """Everything the import needs from the Heat database at ``url``.

    Raises:
        NotHeatDatabase: a table of Heat's is missing.
    """
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            tables = _reflect(connection)
            return _dump(connection, tables)
    finally:
        engine.dispose()


def _reflect(connection) -> dict[str, sa.Table]:
    metadata = sa.MetaData()
    present = set(sa.inspect(connection).get_table_names())
    missing = [t for t in TABLES if t not in present]
    if missing:
        raise NotHeatDatabase(
            'not a Heat database: no table %s' % ', '.join(missing))
    metadata.reflect(connection, only=TABLES)
    return {name: metadata.tables[name] for name in TABLES}


def _rows(connection, table: sa.Table, *where) -> list[dict]:
    rows = [dict(r) for r in connection.execute(
        sa.select(table).where(*where)).mappings()]
    for row in rows:
        for column in _JSON_COLUMNS.get(table.name, ()):
            if isinstance(row.get(column), str):
                row[column] = json.loads(row[column])
    return rows


def _dump(connection, t: dict[str, sa.Table]) -> HeatDump:
    stacks = _rows(connection, t['stack'], t['stack'].c.deleted_at.is_(None))
    ids = [s['id'] for s in stacks]
    resources = _rows(connection, t['resource'],
                      t['resource'].c.stack_id.in_(ids)) if ids else []
    resource_ids = [r['id'] for r in resources]
    events = _rows(connection, t['event'],
                   t['event'].c.stack_id.in_(ids)) if ids else []
    prop_ids = {r[c] for r in resources + events
                for c in ('rsrc_prop_data_id', 'attr_data_id') if r.get(c)}
    template_ids = {s[c] for s in stacks
                    for c in ('raw_template_id', 'prev_raw_template_id')
                    if s[c]} | {r['current_template_id'] for r in resources
                                if r['current_template_id']}
    return HeatDump(
        stacks=stacks,
        templates=_templates(connection, t, template_ids),
        resources=_by(resources, 'stack_id'),
        properties={p['id']: p for p in _rows(
            connection, t['resource_properties_data'],
            t['resource_properties_data'].c.id.in_(prop_ids))} if prop_ids
        else {},
        resource_data=_by(_rows(connection, t['resource_data'],
                                t['resource_data'].c.resource_id.in_(
                                    resource_ids)) if resource_ids else [],
                          'resource_id'),
        events=_by(sorted(events, key=lambda e: e['id']), 'stack_id'),
        tags={k: [r['tag'] for r in v] for k, v in _by(_rows(
            connection, t['stack_tag'], t['stack_tag'].c.stack_id.in_(ids))
            if ids else [], 'stack_id').items()},
        snapshots=_by(_rows(connection, t['snapshot'],
                            t['snapshot'].c.stack_id.in_(ids)) if ids else [],
                      'stack_id'),
        services=_rows(connection, t['service'],
                       t['service'].c.deleted_at.is_(None)))


def _templates(connection, t, ids) -> dict[int, dict]:
    if not ids:
        return {}
    templates = {r['id']: r for r in _rows(connection, t['raw_template'],
                                           t['raw_template'].c.id.in_(ids))}
    file_ids = {r['files_id'] for r in templates.values() if r['files_id']}
    files = {r['id']: r['files'] for r in _rows(
        connection, t['raw_template_files'],
        t['raw_template_files'].c.id.in_(file_ids))} if file_ids else {}
    for row in templates.values():
        # Heat 27 keeps files apart (files_id); older rows inline (files).
        row['files'] = (files.get(row['files_id']) if row['files_id']
                        else row['files']) or {}
    return templates


def _by(rows: list[dict], key: str) -> dict:
    grouped: dict = {}
    for row in rows:
        grouped.setdefault(row[key], []).append(row)
    return grouped
