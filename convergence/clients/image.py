"""Glance through an openstacksdk Connection (ports.ImageAPI).

Glance's v2 images as plain dicts with Glance's field names (an image's
body is the image itself, with no wrapping key).
"""

from convergence.clients import rest


class SdkImage(rest.RestService):
    """ports.ImageAPI on ``proxy`` (an openstacksdk image proxy)."""

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
