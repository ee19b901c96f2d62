"""Functions that build or take apart strings."""

import hashlib
import json
from collections.abc import Mapping, Sequence
from urllib import parse as urlparse

from convergence.template import limits
from convergence.template.function import Function


def _is_list(value) -> bool:
    return isinstance(value, Sequence) and not isinstance(value, str)


def _json(value) -> str:
    return json.dumps(value, sort_keys=True)


class Join(Function):
    """A function for joining strings.

    ``list_join: [delim, [str, ...]]`` (HOT before 2015-10-15).
    """

    def check_args(self):
        example = '"%s" : [ " ", [ "str1", "str2"]]' % self.fn_name
        usage = 'Incorrect arguments to "%s" should be: %s' % (self.fn_name,
                                                               example)
        if not isinstance(self.args, list):
            raise TypeError(usage)
        if len(self.args) != 2:
            raise ValueError(usage)

    def compute(self, args):
        delim, strings = args
        strings = [] if strings is None else strings
        if not _is_list(strings):
            raise TypeError('"%s" must operate on a list' % self.fn_name)
        if not isinstance(delim, str):
            raise TypeError('"%s" delimiter must be a string' % self.fn_name)
        return self._joined(delim, strings)

    def _joined(self, delim: str, strings: list) -> str:
        """The join, refused before it is built when it would be too large."""
        items = [self._item(s) for s in strings]
        size = sum(map(len, items)) + len(delim) * max(len(items) - 1, 0)
        if size > limits.MAX_VALUE_BYTES:
            raise limits.too_large('%s: the result' % self.path)
        return delim.join(items)

    def _item(self, item) -> str:
        if item is None:
            return ''
        if not isinstance(item, str):
            raise TypeError('Items to join must be strings not %s'
                            % repr(item)[:200])
        return item


class JoinMultiple(Join):
    """A function for joining one or more lists of strings.

    ``list_join: [delim, list, list...]``; maps and lists become JSON.
    """

    def check_args(self):
        example = '"%s" : [ " ", [ "str1", "str2"] ...]' % self.fn_name
        usage = 'Incorrect arguments to "%s" should be: %s' % (self.fn_name,
                                                               example)
        if not isinstance(self.args, list):
            raise TypeError(usage)
        if len(self.args) < 2:
            raise ValueError(usage)

    def compute(self, args):
        delim, lists = args[0], args[1:]
        strings = []
        for part in lists:
            if part:
                if not _is_list(part):
                    raise TypeError('"%s" must operate on a list'
                                    % self.fn_name)
                strings.extend(part)
        if not isinstance(delim, str):
            raise TypeError('"%s" delimiter must be a string' % self.fn_name)
        return self._joined(delim, strings)

    def _item(self, item) -> str:
        if item is None:
            return ''
        if isinstance(item, str):
            return item
        if isinstance(item, (Mapping, Sequence)):
            return _json(item)
        raise TypeError('Items to join must be string, map or list not %s'
                        % repr(item)[:200])


class Replace(Function):
    """A function for performing string substitutions.

    ``str_replace: {template: ..., params: {placeholder: value}}``.

    Longer placeholders win over shorter ones; text inserted for one
    placeholder is never searched for another.
    """

    strict = False          # every placeholder must occur in the template
    allow_empty = True      # None or empty values are acceptable

    def check_args(self):
        mapping, _template = self.split_args(self.args)
        if not isinstance(mapping, (Mapping, Function)):
            raise TypeError('"%s" parameters must be a mapping'
                            % self.fn_name)

    def split_args(self, args):
        if not isinstance(args, Mapping):
            raise TypeError('Arguments to "%s" must be a map' % self.fn_name)
        if 'params' not in args or 'template' not in args:
            raise ValueError(
                '"%s" syntax should be %s:\n  template: This is var1 '
                'template var2\n  params:\n    var1: a\n    var2: string'
                % (self.fn_name, self.fn_name))
        return args['params'], args['template']

    def compute(self, args):
        mapping, template = self.split_args(args)
        if not isinstance(template, str):
            raise TypeError('"%s" template must be a string' % self.fn_name)
        if not isinstance(mapping, Mapping):
            raise TypeError('"%s" params must be a map' % self.fn_name)
        for key in mapping:
            if not isinstance(key, str):
                raise TypeError('"%s" param placeholders must be strings'
                                % self.fn_name)
        keys = sorted(sorted(mapping), key=len, reverse=True)
        items = [(k, self.replacement(mapping[k], k)) for k in keys]
        unused = set(keys)
        text = _substitute(template, items, unused, self.path)
        if self.strict and unused:
            raise ValueError(
                'The following params were not found in the template: %s'
                % ','.join(k for k in keys if k in unused))
        return text

    def replacement(self, value, param) -> str:
        if value is None:
            return ''
        if not isinstance(value, (str, int, float, bool)):
            raise TypeError('"%s" params must be strings or numbers, param '
                            '%s is not valid' % (self.fn_name, param))
        return str(value)


def _substitute(text: str, items: list, unused: set, path: str) -> str:
    """``text`` with each (placeholder, value) of ``items`` replaced, in
    order (longest first); text inserted for one placeholder is never
    searched for the next.  Refused as soon as it would grow too large.

    Iterative, one pass per placeholder, so thousands of them are fine.
    """
    # (piece, still searched): inserted values are not
    pieces = [(text, True)]
    size = len(text)
    for key, value in items:
        replaced = []
        for piece, searched in pieces:
            parts = piece.split(key) if searched else [piece]
            if len(parts) > 1:
                unused.discard(key)
                size += (len(value) - len(key)) * (len(parts) - 1)
                if size > limits.MAX_VALUE_BYTES:
                    raise limits.too_large('%s: the result' % path)
            replaced.append((parts[0], searched))
            for part in parts[1:]:
                replaced.extend(((value, False), (part, True)))
        pieces = replaced
    return ''.join(piece for piece, _ in pieces)


class ReplaceJson(Replace):
    """A function for performing string substitutions.

    From 2015-10-15 maps and lists are inserted as JSON.
    """

    def replacement(self, value, param) -> str:
        if value is None:
            if not self.allow_empty:
                raise ValueError(self._empty(param))
            return ''
        if isinstance(value, (str, int, float, bool)):
            text = str(value)
        elif isinstance(value, (Mapping, Sequence)):
            if not self.allow_empty and len(value) == 0:
                raise ValueError(self._empty(param))
            text = _json(value)
        else:
            raise TypeError('"%s" params must be strings, numbers, list or '
                            'map.' % self.fn_name)
        if not self.allow_empty and not text:
            raise ValueError(self._empty(param))
        return text

    def _empty(self, param) -> str:
        return ('%s has an undefined or empty value for param %s, must be a '
                'defined non-empty value' % (self.fn_name, param))


class ReplaceJsonStrict(ReplaceJson):
    """A function for string substitutions in which every param must occur.
    """
    strict = True


class ReplaceJsonVeryStrict(ReplaceJsonStrict):
    """A function for strict string substitutions with non-empty values.
    """
    allow_empty = False


class StrSplit(Function):
    """A function for splitting delimited strings into a list.

    ``str_split: [delim, string]`` or ``[delim, string, index]``.
    """

    def _usage(self) -> str:
        return ('Incorrect arguments to "%s" should be: "%s" : [ ",", '
                '"apples,pears", <index>]' % (self.fn_name, self.fn_name))

    def check_args(self):
        if isinstance(self.args, (str, Mapping)):
            raise TypeError(self._usage())

    def compute(self, args):
        if not isinstance(args, list) or len(args) < 2:
            raise ValueError(self._usage())
        delim, text = args[0], args[1]
        if text is None:
            return None
        if not isinstance(text, str):
            raise TypeError('"%s" can only split a string, not %r'
                            % (self.fn_name, text))
        parts = text.split(delim)
        if len(args) < 3:
            return parts
        try:
            index = int(args[2])
        except (ValueError, TypeError):
            raise ValueError('Incorrect index to "%s" should be: "%s" : '
                             '[ ",", "apples,pears", <index>]'
                             % (self.fn_name, self.fn_name)) from None
        try:
            return parts[index]
        except IndexError:
            raise ValueError('Incorrect index to "%s" should be between 0 '
                             'and %s' % (self.fn_name, len(parts) - 1)
                             ) from None


class Digest(Function):
    """A function for performing digest operations.

    ``digest: [algorithm, value]``: the hex digest of ``value``.
    """

    def compute(self, args):
        if not (isinstance(args, list) and
                all(isinstance(a, str) for a in args)):
            raise TypeError('Argument to function "%s" must be a list of '
                            'strings' % self.fn_name)
        if len(args) != 2:
            raise ValueError('Function "%s" usage: ["<algorithm>", '
                             '"<value>"]' % self.fn_name)
        algorithm, value = args
        if algorithm.lower() not in hashlib.algorithms_available:
            raise ValueError('Algorithm must be one of %s'
                             % str(hashlib.algorithms_available))
        digest = hashlib.new(algorithm)
        digest.update(value.encode('latin-1'))
        return digest.hexdigest()


class MakeURL(Function):
    """A function for building a correctly escaped URL.

    ``make_url: {scheme, username, password, host, port, path, query,
    fragment}``.
    """

    KEYS = ('scheme', 'username', 'password', 'host', 'port', 'path',
            'query', 'fragment')

    def check_args(self):
        if not isinstance(self.args, Mapping):
            raise TypeError('The arguments to "%s" must be a map'
                            % self.fn_name)
        bad = set(self.args) - set(self.KEYS)
        if bad:
            raise ValueError('Invalid arguments to "%s": %s'
                             % (self.fn_name, ', '.join(sorted(bad))))
        self._check(self.args)

    def _check(self, args):
        for key, value in args.items():
            if isinstance(value, Function):
                continue
            if key == 'query':
                if not isinstance(value, Mapping):
                    raise TypeError('The "query" argument to "%s" must be a '
                                    'map' % self.fn_name)
            elif key == 'port':
                self._port(value, args)
            elif not isinstance(value, str):
                raise TypeError('The "%s" argument to "%s" must be a string'
                                % (key, self.fn_name))

    def _port(self, port, args) -> None:
        try:
            port = int(port)
        except (ValueError, TypeError):
            raise ValueError('Invalid URL port "%s" for %s called with %s'
                             % (port, self.fn_name, args)) from None
        if not 0 < port <= 65535:
            raise ValueError('Invalid URL port %d, must be in range 1-65535'
                             % port)

    def compute(self, args):
        self._check(args)
        scheme = args.get('scheme', '')
        if ':' in scheme:
            raise ValueError('URL "scheme" should not contain \':\'')
        return urlparse.urlunsplit((
            scheme, _netloc(args), urlparse.quote(args.get('path', '')),
            urlparse.urlencode(args.get('query', {})).replace('%2F', '/'),
            urlparse.quote(args.get('fragment', ''))))


def _netloc(args) -> str:
    user = urlparse.quote(args.get('username', ''), safe='')
    password = urlparse.quote(args.get('password', ''), safe='')
    creds = ''
    if user or password:
        creds = user + (':' + password if password else '') + '@'
    host = args.get('host', '')
    if host.startswith('[') and host.endswith(']'):
        host = host[1:-1]
    host = urlparse.quote(host, safe=':')
    if ':' in host:
        host = '[%s]' % host
    port = args.get('port', '')
    return creds + host + (':%s' % port if port else '')


class CfnSplit(Function):
    """A function for splitting strings.

    ``Fn::Split: [delim, string]`` (HOT 2013-05-23 only).
    """

    def check_args(self):
        usage = ('Incorrect arguments to "%s" should be: "%s" : [ ",", '
                 '"str1,str2"]]' % (self.fn_name, self.fn_name))
        if isinstance(self.args, (str, Mapping)):
            raise TypeError(usage)
        if len(self.args) != 2:
            raise ValueError(usage)

    def compute(self, args):
        delim, text = args
        if not isinstance(delim, str):
            raise TypeError('Delimiter for %s must be string' % self.fn_name)
        if not isinstance(text, str):
            raise TypeError('String to split must be string; got %s'
                            % type(text))
        return text.split(delim)


class CfnReplace(Replace):
    """A function for performing string substitutions.

    ``Fn::Replace: [{placeholder: value}, template]`` (2013-05-23).
    """

    def split_args(self, args):
        usage = ('Incorrect arguments to "%s" should be: {"%s": [ {"$var1": '
                 '"foo", "%%var2%%": "bar"}, "$var1 is %%var2%%"]}'
                 % (self.fn_name, self.fn_name))
        if isinstance(args, (str, Mapping)):
            raise TypeError(usage)
        if len(args) != 2:
            raise ValueError(usage)
        return args[0], args[1]


class Base64(Function):
    """A placeholder function for converting to base64.

    ``Fn::Base64: string`` returns the string unchanged, as Heat does.
    """

    def compute(self, args):
        if not isinstance(args, str):
            raise TypeError('"%s" argument must be a string' % self.fn_name)
        return args
