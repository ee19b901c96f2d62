"""Merging environment files into a request's environment, as heat-engine
does (``environment_util.merge_environments``).

Each file, in order, is merged over what the request and the earlier files
gave.  ``parameters`` and ``parameter_defaults`` merge per parameter with
the file's ``parameter_merge_strategies``: ``overwrite`` (the default)
replaces the value, ``merge`` appends (strings, lists, numbers add, maps
update) and ``deep_merge`` merges maps recursively.  A parameter keeps the
strategy the first file gave it; another file naming a different one is an
error.  Other sections merge key by key (the registry's ``resources`` map is
replaced whole, as in Heat).
"""

import json
from collections.abc import Mapping, Sequence

from convergence import exceptions
from convergence.template import environment as env_mod
from convergence.template.constraints import (BOOLEAN, COMMA_DELIMITED_LIST,
                                              JSON, NUMBER, STRING)

_PARAMETER_SECTIONS = (env_mod.PARAMETERS, env_mod.PARAMETER_DEFAULTS)


def merge_files(base: Mapping, files: list[tuple[str, Mapping]],
                param_types: Mapping[str, str]) -> dict:
    """``base`` with each ``(file name, parsed environment)`` merged over it.

    ``param_types``: parameter name -> type, of the template and of every
    template in the request's files (the parent's schema wins); parameters
    of a file that none declares are only kept while the section is empty,
    as Heat keeps them.

    Raises:
        BadRequest: a strategy or a value cannot be merged.
    """
    merged = {k: _copy(v) for k, v in base.items()}
    chosen: dict[str, str] = {}
    for name, parsed in files:
        parsed = dict(parsed)
        strategies = parsed.pop(env_mod.PARAMETER_MERGE_STRATEGIES, {}) or {}
        env_mod.Environment({env_mod.PARAMETER_MERGE_STRATEGIES: strategies})
        for section, value in parsed.items():
            if not value:
                continue
            if section in _PARAMETER_SECTIONS:
                merged[section] = _merge_parameters(
                    merged.get(section) or {}, value, param_types,
                    strategies, chosen, name)
            elif section == env_mod.EVENT_SINKS:
                merged[section] = list(merged.get(section) or []) + value
            else:
                merged[section] = _merge_map(merged.get(section) or {},
                                             value)
    return merged


def _copy(value):
    return json.loads(json.dumps(value))


def _strategy(strategies: Mapping, key: str, chosen: Mapping) -> str:
    default = strategies.get(env_mod.DEFAULT_STRATEGY, env_mod.OVERWRITE)
    return strategies.get(key, chosen.get(key, default))


def _merge_parameters(old: dict, new: Mapping, param_types: Mapping,
                      strategies: Mapping, chosen: dict, env_file: str):
    known = [k for k, v in new.items() if k in param_types and v is not None]
    for key in known:
        strategy = _strategy(strategies, key, chosen)
        if chosen.setdefault(key, strategy) != strategy:
            raise exceptions.ConflictingMergeStrategyForParam(
                strategy=strategy, param=key, env_file=env_file)
    if not old:
        return dict(new)
    for key in known:
        if chosen[key] == env_mod.OVERWRITE:
            old[key] = new[key]
        else:
            old[key] = _merge_value(key, param_types[key], old.get(key),
                                    new[key],
                                    chosen[key] == env_mod.DEEP_MERGE)
    return old


def _merge_value(key: str, param_type: str, old, new, deep: bool):
    if param_type is None:
        raise exceptions.BadRequest(
            message='Parameter %s cannot be merged: its type is not known '
                    'without the template.' % key)
    if param_type == JSON:
        return _merge_map(_as_map(old) or {}, _as_map(new), deep)
    if param_type == COMMA_DELIMITED_LIST:
        return _merge_list(old, new)
    if param_type == STRING:
        return '%s%s' % ('' if old is None else old, new)
    if param_type == NUMBER:
        try:
            return _number(old or 0) + _number(new)
        except ValueError:
            raise exceptions.BadRequest(
                message='Invalid parameter in environment: %s is not a '
                        'number.' % key) from None
    assert param_type == BOOLEAN, param_type
    raise exceptions.InvalidMergeStrategyForParam(strategy=env_mod.MERGE,
                                                  param=key)


def _as_map(value):
    if isinstance(value, str):
        try:
            value = json.loads(value) if value else {}
        except ValueError as exc:
            raise exceptions.BadRequest(
                message='Invalid parameter in environment %s.' % exc) from None
    return value


def _number(value):
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    text = str(value)
    return float(text) if any(c in text for c in '.eE') else int(text)


def _merge_list(old, new):
    if not old:
        return new
    if isinstance(new, list):
        return (old.split(',') if isinstance(old, str) else list(old)) + new
    old = ','.join(str(x) for x in old) if isinstance(old, list) else old
    return ','.join([old, str(new)])


def _merge_map(old: dict, new: Mapping, deep: bool = False) -> dict:
    if not old:
        return dict(new)
    for key, value in new.items():
        if value is None:
            continue
        if not deep:
            old[key] = value
        elif isinstance(value, Mapping):
            old[key] = _merge_map(old.get(key), value, True) \
                if old.get(key) else value
        elif isinstance(value, Sequence) and not isinstance(value, str):
            old[key] = _merge_list(old.get(key), value) \
                if old.get(key) else value
        elif isinstance(value, str):
            old[key] = '%s%s' % (old.get(key, ''), value)
        else:
            old[key] = value
    return old
