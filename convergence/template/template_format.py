"""Turn template and environment text into plain dicts, the way Heat reads them.

JSON is tried first, then YAML with a safe loader.  YAML timestamps are kept
as strings: ``heat_template_version: 2015-10-15`` must stay ``'2015-10-15'``,
not become a ``datetime.date``.
"""

import json
from collections.abc import Mapping

import yaml

from convergence import exceptions

VERSION_KEYS = ('heat_template_version', 'AWSTemplateFormatVersion',
                'HeatTemplateFormatVersion')

_SAFE_BASE = getattr(yaml, 'CSafeLoader', yaml.SafeLoader)


class _Loader(_SAFE_BASE):
    """A safe loader that leaves timestamps (and dates) as plain strings."""


def _construct_plain_str(loader, node):
    return loader.construct_scalar(node)


_Loader.add_constructor('tag:yaml.org,2002:str', _construct_plain_str)
_Loader.add_constructor('tag:yaml.org,2002:timestamp', _construct_plain_str)


def _load_text(text: str, what: str):
    """JSON if it is JSON, else YAML; ``None`` (an empty document) is ``{}``."""
    try:
        return json.loads(text)
    except ValueError:
        pass
    try:
        loaded = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as err:
        # The pure-Python loader's message quotes the offending snippet and
        # names line and column, which is what the user needs to fix it.
        try:
            yaml.load(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError as detailed:
            err = detailed
        raise exceptions.BadRequest(
            message='%s not in valid format: Error parsing %s [root stack] '
                    '%s' % (what.capitalize(), what, err)) from None
    return {} if loaded is None else loaded


def parse_template(text_or_obj) -> dict:
    """Return a template as a dict, from a dict or from JSON/YAML text.

    Raises BadRequest ("Template not in valid format: ...") for text that does
    not parse, is not a mapping, or carries no template version key.
    """
    if isinstance(text_or_obj, Mapping):
        return dict(text_or_obj)
    if isinstance(text_or_obj, bytes):
        text_or_obj = text_or_obj.decode('utf-8')
    if not isinstance(text_or_obj, str):
        raise _invalid('Template', 'The template is not a JSON object '
                                   'or YAML mapping.')
    tmpl = _load_text(text_or_obj, 'template')
    if not isinstance(tmpl, dict):
        raise _invalid('Template', 'The template is not a JSON object '
                                   'or YAML mapping.')
    if not any(key in tmpl for key in VERSION_KEYS):
        raise _invalid('Template', 'Template format version not found.')
    return tmpl


def parse_environment(text_or_obj) -> dict:
    """Return an environment as a dict, from a dict, JSON/YAML text or None.

    Section names are checked by ``Environment`` itself.
    """
    if text_or_obj is None:
        return {}
    if isinstance(text_or_obj, Mapping):
        return dict(text_or_obj)
    if isinstance(text_or_obj, bytes):
        text_or_obj = text_or_obj.decode('utf-8')
    env = _load_text(text_or_obj, 'environment')
    if not isinstance(env, dict):
        raise _invalid('Environment', 'The environment is not a valid '
                                      'YAML mapping data type.')
    return env


def _invalid(what: str, reason: str) -> exceptions.BadRequest:
    return exceptions.BadRequest(
        message='%s not in valid format: %s' % (what, reason))
