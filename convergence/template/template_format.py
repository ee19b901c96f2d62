"""Turn template and environment text into plain dicts, the way Heat reads them.

JSON is tried first, then YAML with a safe loader.  YAML timestamps are kept
as strings: ``heat_template_version: 2015-10-15`` must stay ``'2015-10-15'``,
not become a ``datetime.date``.

YAML aliases let a few hundred bytes stand for gigabytes (each level of a
"billion laughs" document repeats the one before): the parsed objects share
memory, but the first copy or serialisation writes every repetition out.  So
the node graph is measured before anything is built from it, with every
alias counted as what it stands for, and a document that would be larger
written out than ``max_expanded`` bytes is refused.
"""

import json
from collections.abc import Mapping

import yaml

from convergence import exceptions

# Bytes a document may stand for with its aliases written out (Heat's
# default max_template_size): no alias-free document within the size limit
# comes near it, since every node takes at least one byte of text.
MAX_EXPANDED_BYTES = 524288

VERSION_KEYS = ('heat_template_version', 'AWSTemplateFormatVersion',
                'HeatTemplateFormatVersion')

_SAFE_BASE = getattr(yaml, 'CSafeLoader', yaml.SafeLoader)


class _Loader(_SAFE_BASE):
    """A safe loader that leaves timestamps (and dates) as plain strings."""


def _construct_plain_str(loader, node):
    return loader.construct_scalar(node)


_Loader.add_constructor('tag:yaml.org,2002:str', _construct_plain_str)
_Loader.add_constructor('tag:yaml.org,2002:timestamp', _construct_plain_str)


def _load_text(text: str, what: str, max_expanded: int):
    """JSON if it is JSON, else YAML; ``None`` (an empty document) is ``{}``."""
    try:
        return json.loads(text)
    except RecursionError:
        raise _invalid(what.capitalize(), 'nested too deeply.') from None
    except ValueError:
        pass
    try:
        loaded = _load_yaml(text, what, max_expanded)
    except yaml.YAMLError as err:
        # The pure-Python loader's message quotes the offending snippet and
        # names line and column, which is what the user needs to fix it;
        # but it would recurse (for seconds) through what libyaml refused
        # as nested too deeply.
        if 'maximum nesting depth' not in str(err):
            err = _detailed_error(text, err)
        raise exceptions.BadRequest(
            message='%s not in valid format: Error parsing %s [root stack] '
                    '%s' % (what.capitalize(), what, err)) from None
    except RecursionError:
        raise _invalid(what.capitalize(), 'nested too deeply.') from None
    return {} if loaded is None else loaded


def _detailed_error(text: str, err: yaml.YAMLError) -> yaml.YAMLError:
    try:
        yaml.load(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as detailed:
        return detailed
    except RecursionError:
        pass
    return err


def _load_yaml(text: str, what: str, max_expanded: int):
    """The document, built only once its expanded size is known to fit."""
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return None
        size = expanded_size(root, max_expanded)
        if size is None:
            raise exceptions.RequestLimitExceeded(
                message='%s would exceed %d bytes with its YAML aliases '
                        'written out.' % (what.capitalize(), max_expanded))
        return loader.construct_document(root)
    finally:
        loader.dispose()


def expanded_size(root: yaml.Node, limit: int) -> int | None:
    """Bytes the node graph under ``root`` stands for with every alias
    written out (scalar text plus one per node), or None once past
    ``limit`` or when an alias refers to a node that contains it.

    Iterative and memoised by node, so a deep document or a node shared a
    billion times costs its distinct nodes only.
    """
    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    todo = [(root, False)]
    while todo:
        node, children_done = todo.pop()
        key = id(node)
        if key in sizes:
            continue
        children = _children(node)
        if children_done:
            on_path.discard(key)
            sizes[key] = 1 + sum(sizes[id(child)] for child in children) + (
                len(node.value) if isinstance(node, yaml.ScalarNode) else 0)
            if sizes[key] > limit:
                return None
            continue
        if key in on_path:  # reached again below itself: a cycle
            return None
        on_path.add(key)
        todo.append((node, True))
        todo.extend((child, False) for child in children
                    if id(child) not in sizes)
    return sizes[id(root)]


def _children(node: yaml.Node) -> list:
    if isinstance(node, yaml.SequenceNode):
        return node.value
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def parse_template(text_or_obj,
                   max_expanded: int = MAX_EXPANDED_BYTES) -> dict:
    """Return a template as a dict, from a dict or from JSON/YAML text.

    Raises BadRequest ("Template not in valid format: ...") for text that does
    not parse, is not a mapping, or carries no template version key, and
    RequestLimitExceeded for YAML whose aliases expand past ``max_expanded``
    bytes.
    """
    if isinstance(text_or_obj, Mapping):
        return dict(text_or_obj)
    if isinstance(text_or_obj, bytes):
        text_or_obj = text_or_obj.decode('utf-8')
    if not isinstance(text_or_obj, str):
        raise _invalid('Template', 'The template is not a JSON object '
                                   'or YAML mapping.')
    tmpl = _load_text(text_or_obj, 'template', max_expanded)
    if not isinstance(tmpl, dict):
        raise _invalid('Template', 'The template is not a JSON object '
                                   'or YAML mapping.')
    if not any(key in tmpl for key in VERSION_KEYS):
        raise _invalid('Template', 'Template format version not found.')
    return tmpl


def parse_environment(text_or_obj,
                      max_expanded: int = MAX_EXPANDED_BYTES) -> dict:
    """Return an environment as a dict, from a dict, JSON/YAML text or None.

    Section names are checked by ``Environment`` itself; YAML aliases are
    bounded as in ``parse_template``.
    """
    if text_or_obj is None:
        return {}
    if isinstance(text_or_obj, Mapping):
        return dict(text_or_obj)
    if isinstance(text_or_obj, bytes):
        text_or_obj = text_or_obj.decode('utf-8')
    env = _load_text(text_or_obj, 'environment', max_expanded)
    if not isinstance(env, dict):
        raise _invalid('Environment', 'The environment is not a valid '
                                      'YAML mapping data type.')
    return env


def _invalid(what: str, reason: str) -> exceptions.BadRequest:
    return exceptions.BadRequest(
        message='%s not in valid format: %s' % (what, reason))
