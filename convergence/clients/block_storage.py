"""Cinder through an openstacksdk Connection (cloud_ports.BlockStorageAPI).

Cinder's volumes and volume types (API v3, the project in the endpoint) as
plain dicts with Cinder's field names, and a volume type's encryption (a
sub-resource of the type: Cinder shows ``{}`` for a type without one).
"""

from convergence.clients import rest

# The block storage API microversion of every call: an in-use volume may
# be extended (3.42).
MICROVERSION = '3.42'

KINDS = {
    'volume': ('volumes', 'volume', 'volumes'),
    'volume_type': ('types', 'volume_type', 'volume_types'),
}


class SdkBlockStorage(rest.RestService):
    """cloud_ports.BlockStorageAPI on ``proxy`` (a block storage proxy)."""

    microversion = MICROVERSION

    def create(self, kind: str, attrs: dict) -> dict:
        path, key, _ = KINDS[kind]
        return self.call('create %s' % kind, 'POST', '/' + path,
                         json={key: attrs}).json()[key]

    def show(self, kind: str, resource_id: str) -> dict | None:
        path, key, _ = KINDS[kind]
        body = self.get_or_none('show %s' % kind,
                                '/%s/%s' % (path, resource_id))
        return None if body is None else body[key]

    def find(self, kind: str, name_or_id: str) -> dict | None:
        found = self.show(kind, name_or_id)
        if found is not None:
            return found
        path, _, list_key = KINDS[kind]
        params = {'name': name_or_id} if kind == 'volume' else {}
        url = '/%s/detail' % path if kind == 'volume' else '/' + path
        items = self.call('list %s' % kind, 'GET', url,
                          params=params).json()[list_key]
        return rest.unique(kind, name_or_id, [
            item for item in items if item.get('name') == name_or_id])

    def update(self, kind: str, resource_id: str, attrs: dict) -> dict:
        path, key, _ = KINDS[kind]
        return self.call('update %s' % kind, 'PUT',
                         '/%s/%s' % (path, resource_id),
                         json={key: attrs}).json()[key]

    def delete(self, kind: str, resource_id: str) -> bool:
        path, _, _ = KINDS[kind]
        return self.delete_or_false('delete %s' % kind,
                                    '/%s/%s' % (path, resource_id))

    def action(self, kind: str, resource_id: str, name: str,
               args: dict | None = None) -> None:
        path, _, _ = KINDS[kind]
        self.call('%s %s' % (name, kind), 'POST',
                  '/%s/%s/action' % (path, resource_id), json={name: args})

    def set_metadata(self, volume_id: str, metadata: dict) -> dict:
        return self.call('set volume metadata', 'PUT',
                         '/volumes/%s/metadata' % volume_id,
                         json={'metadata': metadata}).json()['metadata']

    def set_extra_specs(self, type_id: str, specs: dict) -> None:
        self.call('set volume type extra specs', 'POST',
                  '/types/%s/extra_specs' % type_id,
                  json={'extra_specs': specs})

    def unset_extra_spec(self, type_id: str, key: str) -> None:
        self.call('unset volume type extra spec', 'DELETE',
                  '/types/%s/extra_specs/%s' % (type_id, key))

    def type_access(self, type_id: str) -> list[str]:
        body = self.call('list volume type access', 'GET',
                         '/types/%s/os-volume-type-access' % type_id).json()
        return [a['project_id'] for a in body['volume_type_access']]

    def change_type_access(self, type_id: str, project_id: str,
                           add: bool) -> None:
        action = 'addProjectAccess' if add else 'removeProjectAccess'
        self.call('%s volume type' % action, 'POST',
                  '/types/%s/action' % type_id,
                  json={action: {'project': project_id}})

    def encryption(self, type_id: str) -> dict | None:
        body = self.get_or_none('show volume type encryption',
                                '/types/%s/encryption' % type_id)
        return body or None

    def set_encryption(self, type_id: str, specs: dict,
                       create: bool) -> dict:
        # Cinder ignores the id of the one it updates (a type has one);
        # python-cinderclient sends "provider".
        url = '/types/%s/encryption' % type_id + ('' if create
                                                  else '/provider')
        return self.call('%s volume type encryption'
                         % ('create' if create else 'update'),
                         'POST' if create else 'PUT', url,
                         json={'encryption': specs}).json()['encryption']

    def delete_encryption(self, type_id: str) -> bool:
        return self.delete_or_false('delete volume type encryption',
                                    '/types/%s/encryption/provider' % type_id)
