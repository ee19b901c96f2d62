"""Functions that build, merge or pick from lists and maps."""

import itertools
import json
import math
from collections.abc import Mapping, Sequence

from convergence.template import limits
from convergence.template.function import Function


def _is_list(value) -> bool:
    return isinstance(value, Sequence) and not isinstance(value, str)


class MapMerge(Function):
    """A function for merging maps.

    ``map_merge: [map, map, ...]``: later maps win.
    """

    def compute(self, args):
        if not isinstance(args, Sequence):
            raise TypeError('Incorrect arguments to "%s" should be: "%s" : '
                            '[ { "key1": "val1" }, { "key2": "val2" } ]'
                            % (self.fn_name, self.fn_name))
        merged = {}
        for item in args:
            if item is None:
                continue
            if not isinstance(item, Mapping):
                raise TypeError('Incorrect arguments: Items to merge must be '
                                'maps. %s is type %s instead of a dict'
                                % (repr(item)[:200], type(item)))
            merged.update(item)
        return merged


class MapReplace(Function):
    """A function for performing substitutions on maps.

    ``map_replace: [map, {keys: {old: new}, values: {old: new}}]``.
    """

    def _example(self) -> str:
        return ('"%s" : [ { "key1": "val1" }, {"keys": {"key1": "key2"}, '
                '"values": {"val1": "val2"}}]' % self.fn_name)

    def _usage(self) -> str:
        return 'Incorrect arguments to "%s" should be: %s' % (
            self.fn_name, self._example())

    def _map(self, value) -> Mapping:
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            raise TypeError('Incorrect arguments: to "%s", arguments must be '
                            'a list of maps. Example:  %s'
                            % (self.fn_name, self._example()))
        return value

    def compute(self, args):
        if not isinstance(args, list) or len(args) != 2:
            raise TypeError(self._usage())
        source, replace = self._map(args[0]), self._map(args[1])
        if set(replace) - {'keys', 'values'}:
            raise ValueError(self._usage())
        new_keys = self._map(replace.get('keys', {}))
        new_values = self._map(replace.get('values', {}))
        result = {}
        for key, value in source.items():
            result[self._new_key(key, new_keys, source, result)] = \
                self._new_value(value, new_values)
        return result

    @staticmethod
    def _new_key(key, new_keys, source, result):
        new = new_keys.get(key)
        if new is None:
            return key
        if new in source and new != key:
            raise ValueError('key replacement %s collides with a key in the '
                             'input map' % new)
        if new in result:
            raise ValueError('key replacement %s collides with a key in the '
                             'output map' % new)
        return new

    @staticmethod
    def _new_value(value, new_values):
        try:
            return new_values.get(value, value)
        except TypeError:       # an unhashable value is never replaced
            return value


class Repeat(Function):
    """A function for iterating over a list of items.

    ``repeat: {template: body, for_each: {var: list}}``.

    One copy of ``body`` per combination of the lists (all of them when
    ``permutations`` is true, pairwise when false), with each ``var``
    replaced by its item inside every string of the body.
    """

    allow_maps = False            # 2016-10-14: a map iterates its keys
    allow_permutations = False    # 2017-09-01: the "permutations" key

    def check_args(self):
        if not isinstance(self.args, Mapping):
            raise TypeError('Arguments to "%s" must be a map' % self.fn_name)
        if 'for_each' not in self.args or 'template' not in self.args:
            raise ValueError(
                '"repeat" syntax should be repeat:\n  template: This is '
                '%var%\n  for_each:\n    %var%: [\'a\', \'b\', \'c\']')
        for_each = self.args['for_each']
        if not isinstance(for_each, (Mapping, Function)):
            raise TypeError('The "for_each" argument to "%s" must contain '
                            'a map' % self.fn_name)
        if not isinstance(self._nested(self.args), bool):
            raise TypeError('"permutations" should be boolean type for %s '
                            'function.' % self.fn_name)

    def _nested(self, args):
        if not self.allow_permutations:
            return True
        return args.get('permutations', True)

    def compute(self, args):
        for_each, nested = args['for_each'], self._nested(args)
        if not isinstance(for_each, Mapping):
            raise TypeError('The "for_each" argument to "%s" must contain '
                            'a map' % self.fn_name)
        if not for_each:
            raise ValueError('The "for_each" argument to "%s" must not be '
                             'empty' % self.fn_name)
        keys = list(for_each)
        values = [self._values(v, nested) for v in for_each.values()]
        lengths = {len(v) for v in for_each.values() if v is not None}
        if not nested and len(lengths) > 1:
            raise ValueError('For %s, the length of for_each values should '
                             'be equal if no nested loop.' % self.fn_name)
        combine = itertools.product if nested else zip
        self._check_count(values, nested, args['template'])
        copies, size = [], 0
        for combo in combine(*values):
            copies.append(_replace_all(keys, combo, args['template']))
            grown = limits.size_of(copies[-1], limits.MAX_VALUE_BYTES - size)
            if grown is None:
                raise limits.too_large('%s: the result' % self.path)
            size += grown
        return copies

    def _check_count(self, values: list, nested: bool, template) -> None:
        """Refuse at once a result whose copies alone would be too large
        (a placeholder's value can only make each copy larger)."""
        lengths = [len(v) for v in values]
        copies = math.prod(lengths) if nested else min(lengths)
        each = limits.size_of(template) or limits.MAX_VALUE_BYTES
        if copies * each > limits.MAX_VALUE_BYTES:
            raise limits.too_large('%s: %d copies of the template'
                                   % (self.path, copies))

    def _values(self, value, nested):
        if value is None:
            return []
        maps_ok = self.allow_maps and nested
        if not (_is_list(value) or (maps_ok and isinstance(value, Mapping))):
            kinds = 'lists or maps' if maps_ok else 'lists'
            raise TypeError('The values of the "for_each" argument to "%s" '
                            'must be %s' % (self.fn_name, kinds))
        return list(value)


def _replace_all(keys, values, template):
    if isinstance(template, str):
        for key, value in zip(keys, values):
            template = template.replace(key, value)
        return template
    if isinstance(template, Mapping):
        return {_replace_all(keys, values, k): _replace_all(keys, values, v)
                for k, v in template.items()}
    if isinstance(template, list):
        return [_replace_all(keys, values, item) for item in template]
    return template


class RepeatWithMap(Repeat):
    """A function for iterating over a list of items or a dict of keys.
    """
    allow_maps = True


class RepeatWithNestedLoop(RepeatWithMap):
    """A function for iterating over lists, nested or (with
    ``permutations: false``) pairwise.
    """
    allow_permutations = True


class Filter(Function):
    """A function for filtering out values from lists.

    ``filter: [values_to_drop, list]``.
    """

    def check_args(self):
        if not _is_list(self.args):
            raise TypeError('Argument to "%s" must be a list' % self.fn_name)
        if len(self.args) != 2:
            raise ValueError('"%s" expected 2 arguments of the form [values, '
                             'sequence] but got %d arguments instead'
                             % (self.fn_name, len(self.args)))

    def compute(self, args):
        values, sequence = args
        if not sequence:
            return sequence
        if not isinstance(sequence, list):
            raise TypeError('"%s" only works with lists' % self.fn_name)
        if not values:
            return sequence
        if not isinstance(values, list):
            raise TypeError('"%s" filters a list of values' % self.fn_name)
        return [item for item in sequence if item not in values]


class ListConcat(Function):
    """A function for extending lists.

    ``list_concat: [list, list, ...]``.
    """

    unique = False

    def compute(self, args):
        if not _is_list(args):
            raise TypeError('Incorrect arguments to "%s" should be: "%s" : '
                            '[ [ <value 1>, <value 2> ], [ <value 3>, '
                            '<value 4> ] ]' % (self.fn_name, self.fn_name))
        result = []
        for item in args:
            if item is None:
                continue
            if not _is_list(item):
                raise TypeError('Incorrect arguments: Items to concat must be '
                                'lists. %s contains an item that is not a '
                                'list: %s' % (json.dumps(args),
                                              json.dumps(item)))
            result.extend(item)
        if not self.unique:
            return result
        unique = []
        for item in result:
            if item not in unique:
                unique.append(item)
        return unique


class ListConcatUnique(ListConcat):
    """A function for extending lists with unique items.
    """
    unique = True


class Contains(Function):
    """A function for checking whether specific value is in sequence.

    ``contains: [value, sequence]``.
    """

    def check_args(self):
        if not self.args or not isinstance(self.args, list):
            raise TypeError('Incorrect arguments to "%s" should be: "%s" : '
                            '[ "value1", [ "value1", "value2"]]'
                            % (self.fn_name, self.fn_name))
        if len(self.args) != 2:
            raise ValueError('Arguments to "%s" must be of the form: '
                             '[value1, [value1, value2]]' % self.fn_name)

    def compute(self, args):
        value, sequence = args
        if not isinstance(sequence, Sequence):
            raise TypeError('Second argument to "%s" should be a sequence.'
                            % self.fn_name)
        return value in sequence


class Select(Function):
    """A function for selecting an item from a list or map.

    ``Fn::Select: [index, list_or_map]`` (HOT up to 2015-04-30).

    A missing index or key gives ``''``, as Heat does.
    """

    def check_args(self):
        if not isinstance(self.args, list) or len(self.args) != 2:
            raise ValueError('Arguments to "%s" must be of the form '
                             '[index, collection]' % self.fn_name)

    def compute(self, args):
        index, collection = args
        if collection == '' or collection is None:
            return ''
        if isinstance(collection, str):
            try:
                collection = json.loads(collection)
            except ValueError as exc:
                raise ValueError('"%s": %s' % (self.fn_name, exc)) from None
        if isinstance(collection, Mapping):
            if not isinstance(index, str):
                raise TypeError('Index to "%s" must be a string'
                                % self.fn_name)
            return collection.get(index, '')
        return self._pick(index, collection)

    def _pick(self, index, collection):
        try:
            index = int(index)
        except (ValueError, TypeError):
            raise TypeError('Index to "%s" must be an integer'
                            % self.fn_name) from None
        if not _is_list(collection):
            raise TypeError('Arguments to %s not fully resolved'
                            % self.fn_name)
        try:
            return collection[index]
        except IndexError:
            return ''
