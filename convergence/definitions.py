"""Parsed stack definitions, cached per process, and the resolvers they use.

A stored template never changes, so each process parses it once: a node then
costs only the resolution of its own resource's definition.
"""

import collections
import json
import threading

from convergence import exceptions
from convergence import template as tmpl

# The key of a resource's attribute cache (and node data) holding the
# attributes that failed to resolve: name -> the failure (a child's output
# that failed, ``StackResource``).  Absent when none did.
ATTRIBUTE_ERRORS = 'attr_errors'

# Bytes of stored template text (template, environment and files as JSON)
# whose definitions one process keeps.  A parsed definition takes some ten
# times its text in memory: this keeps the cache near 100 MB, whether it
# holds a thousand small stacks or fifteen of 512 KB.
MAX_CACHED_TEMPLATE_BYTES = 8 * 1024 * 1024


class DefinitionCache:
    """StackDefinition per stored template id, least recently used dropped
    once their stored text adds up to more than ``max_bytes`` (the most
    recent one is always kept)."""

    def __init__(self, db, max_bytes: int = MAX_CACHED_TEMPLATE_BYTES):
        self._db = db
        self._max_bytes = max_bytes
        self._bytes = 0
        # template id: (definition, bytes of its stored text)
        self._cache: collections.OrderedDict = collections.OrderedDict()
        self._lock = threading.Lock()

    @property
    def cached_bytes(self) -> int:
        """The stored text of the definitions held now, in bytes."""
        return self._bytes

    def get(self, template_id: int, stack: dict) -> tmpl.StackDefinition:
        with self._lock:
            found = self._cache.get(template_id)
            if found is not None:
                self._cache.move_to_end(template_id)
                return found[0]
        raw = self._db.raw_template_get(template_id)
        definition = build_definition(raw, stack)
        self._put(template_id, definition, len(_stored_text(raw)))
        return definition

    def remember(self, template_id: int, definition: tmpl.StackDefinition,
                 stored: dict) -> None:
        """Cache the definition a request was validated with, stored as
        ``template_id`` from ``stored`` (its template, environment, files).

        Spares parsing the template again for the traversal (a
        5,000-resource template takes a tenth of a second and more).  Only
        when the stored copy reads back the same: every engine must work
        from identical definitions, and one that reads the row builds its
        own from what JSON kept (a YAML mapping with integer keys, say,
        comes back with string keys).
        """
        text = _stored_text(stored)
        if text is not None and json.loads(text) == stored:
            self._put(template_id, definition, len(text))

    def forget(self, template_ids) -> None:
        """Drop deleted templates' definitions now, not when they age out.

        A 2,000-resource definition is some 60,000 objects that every full
        garbage collection would otherwise keep walking.
        """
        with self._lock:
            for template_id in template_ids:
                self._drop(template_id)

    def _put(self, template_id: int, definition, size: int) -> None:
        with self._lock:
            self._drop(template_id)
            self._cache[template_id] = (definition, size)
            self._bytes += size
            while self._bytes > self._max_bytes and len(self._cache) > 1:
                self._drop(next(iter(self._cache)))

    def _drop(self, template_id: int) -> None:
        found = self._cache.pop(template_id, None)
        if found is not None:
            self._bytes -= found[1]


def _stored_text(stored: dict) -> str | None:
    """The JSON of a stored template's parts, or None if JSON cannot hold
    them; its length stands for the definition's size."""
    try:
        return json.dumps({key: stored.get(key) for key in
                           ('template', 'environment', 'files')})
    except (TypeError, ValueError):
        return None


def build_definition(raw: dict, stack: dict) -> tmpl.StackDefinition:
    """The StackDefinition of a stored template row for ``stack``."""
    environment = tmpl.Environment(raw['environment'])
    return tmpl.StackDefinition(
        tmpl.Template(raw['template'], files=raw['files']), environment,
        dict(raw['environment'].get('parameters') or {}),
        tmpl.StackIdentity(stack['id'], stack['name'], stack['tenant']),
        facade=raw.get('facade'))


class TriggerDataResolver:
    """Resolves get_resource/get_attr from the data that came with a trigger.

    A resource absent from the data has not been created: its reference is
    its logical name and its attributes are None, as in Heat.
    """

    def __init__(self, node_data: dict[str, dict]):
        self._data = node_data

    def node_data(self, name: str) -> dict | None:
        """The data of resource ``name``; None if it has not been created."""
        return self._data.get(name)

    def reference_id(self, name: str) -> str:
        found = self.node_data(name)
        return found['reference_id'] if found else name

    def attribute(self, name: str, attr: str):
        """The attribute's value.

        Raises:
            StoredAttributeError: it failed to resolve (the message the
                resource's attribute cache stored).
        """
        found = self.node_data(name)
        if not found:
            return None
        failure = (found.get(ATTRIBUTE_ERRORS) or {}).get(attr)
        if failure is not None:
            raise exceptions.StoredAttributeError(message=failure)
        return (found.get('attrs') or {}).get(attr)

    def all_attributes(self, name: str) -> dict | None:
        found = self.node_data(name)
        return dict(found.get('attrs') or {}) if found else None


class StoredDataResolver(TriggerDataResolver):
    """Resolves outputs from the attribute caches stored on resource rows."""

    def __init__(self, rows_by_name: dict[str, dict]):
        super().__init__({name: stored_node_data(row)
                          for name, row in rows_by_name.items()
                          if row.get('attr_data')})


def stored_node_data(row: dict) -> dict:
    """The NodeData a converged row would send, rebuilt from its caches."""
    cached = row.get('attr_data') or {}
    data = {'id': row['id'], 'name': row['name'],
            'reference_id': cached.get('ref', row['name']),
            'attrs': cached.get('attrs', {}), 'action': row['action'],
            'status': row['status']}
    if cached.get(ATTRIBUTE_ERRORS):
        data[ATTRIBUTE_ERRORS] = cached[ATTRIBUTE_ERRORS]
    return data
