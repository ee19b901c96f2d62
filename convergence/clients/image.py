"""Glance through an openstacksdk Connection (cloud_ports.ImageAPI).

Glance's v2 images as plain dicts with Glance's field names (an image's
body is the image itself, with no wrapping key).  An update is Glance's
JSON patch; an image's import tasks (API 2.12) say why an import failed.
"""

import json

from convergence.clients import rest

PATCH_TYPE = 'application/openstack-images-v2.1-json-patch'


class SdkImage(rest.RestService):
    """cloud_ports.ImageAPI on ``proxy`` (an openstacksdk image proxy)."""

    def show(self, image_id: str) -> dict | None:
        return self.get_or_none('show image', '/images/%s' % image_id)

    def find(self, name_or_id: str) -> dict | None:
        found = self.show(name_or_id)
        if found is not None:
            return found
        images = self.call('list images', 'GET', '/images',
                           params={'name': name_or_id}).json()['images']
        return rest.unique('image', name_or_id, images)

    def create(self, attrs: dict) -> dict:
        return self.call('create image', 'POST', '/images', json=attrs).json()

    def import_from_url(self, image_id: str, url: str) -> None:
        self.call('import image', 'POST', '/images/%s/import' % image_id,
                  json={'method': {'name': 'web-download', 'uri': url}})

    def delete(self, image_id: str) -> bool:
        return self.delete_or_false('delete image', '/images/%s' % image_id)

    def update(self, image_id: str, changes: dict,
               removed: tuple = ()) -> dict:
        """Set ``changes`` (fields or properties) and drop ``removed``."""
        ops = [{'op': 'add', 'path': '/' + k, 'value': v}
               for k, v in changes.items()]
        ops += [{'op': 'remove', 'path': '/' + k} for k in removed]
        return self.call('update image', 'PATCH', '/images/%s' % image_id,
                         data=json.dumps(ops),
                         headers={'Content-Type': PATCH_TYPE}).json()

    def tag(self, image_id: str, tag: str, add: bool) -> None:
        url = '/images/%s/tags/%s' % (image_id, tag)
        if add:
            self.call('tag image', 'PUT', url)
        else:
            self.delete_or_false('untag image', url)

    def member(self, image_id: str, member: str, add: bool) -> None:
        if add:
            self.call('add image member', 'POST',
                      '/images/%s/members' % image_id,
                      json={'member': member})
        else:
            self.delete_or_false('remove image member', '/images/%s/members/%s'
                                 % (image_id, member))

    def set_active(self, image_id: str, active: bool) -> None:
        action = 'reactivate' if active else 'deactivate'
        self.call('%s image' % action, 'POST',
                  '/images/%s/actions/%s' % (image_id, action))

    def tasks(self, image_id: str) -> list[dict]:
        return self.call('list image tasks', 'GET',
                         '/images/%s/tasks' % image_id).json()['tasks']
