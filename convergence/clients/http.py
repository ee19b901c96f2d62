"""One REST call through keystoneauth, its failure as errors.CloudError.

The cloud's own message is taken from the answer's body as the services
write it (Neutron's ``{"NeutronError": {"message": ...}}``, Keystone's
``{"error": {"message": ...}}``), else the body's text (an HTML error
page's words, without its markup).
"""

import json
import re

from convergence.clients import errors


def request(client, method: str, url: str, **kwargs):
    """``client.request(url, method, ...)`` (a keystoneauth Session or
    Adapter, an openstacksdk proxy); the response when it succeeded.

    Raises:
        errors.CloudError: the cloud answered with an error status, or
            could not be reached (ConnectionFailed).
    """
    from keystoneauth1 import exceptions as ks_exceptions

    try:
        response = client.request(url, method, raise_exc=False, **kwargs)
    except ks_exceptions.ConnectionError as exc:
        raise errors.ConnectionFailed(
            'Unable to reach the cloud: %s' % exc) from exc
    except ks_exceptions.HttpError as exc:
        # Authenticating first failed (a trust deleted, a token revoked).
        raise errors.for_status(exc.http_status or 500,
                                'Authentication failed: %s' % exc) from exc
    except ks_exceptions.ClientException as exc:
        # No endpoint in the catalog, a plugin that cannot authenticate...
        raise errors.CloudError(str(exc)) from exc
    if response.status_code >= 400:
        raise errors.for_status(response.status_code, message_of(response))
    return response


def message_of(response) -> str:
    """The error message an answer carries."""
    try:
        body = response.json()
    except (ValueError, json.JSONDecodeError):
        body = None
    if isinstance(body, dict):
        for value in body.values():
            if isinstance(value, dict) and value.get('message'):
                return str(value['message'])
        if body.get('message'):
            return str(body['message'])
    text = _without_markup(response.text or '')
    return text or 'HTTP %s' % response.status_code


def _without_markup(text: str) -> str:
    """The words of an error page (webob's HTML ``<h1>400 Bad
    Request</h1> URI ... <br />``, as Glance answers): what follows the
    heading, tags dropped, whitespace joined."""
    if '<html' not in text.lower():
        return text.strip()
    body = re.split(r'(?i)</h1>', text, maxsplit=1)[-1]
    return ' '.join(re.sub(r'<[^>]*>', ' ', body).split())
