"""The templates the scenarios share, named as the reference names them.

``base()`` is the five-resource diamond most Heat scenarios start from:
A and B are leaves, C waits for both (explicit ``depends_on``), D takes C's
reference and E one of C's attributes.  ``replaceable(a)`` is the same shape
where C's property ``!a`` is A's attribute, so changing A forces C's
replacement; ``renamed(a)`` is that template with C renamed ``newC`` (the
user replaces C himself).
"""

from convergence.tests.scenarios.framework import GetAtt
from convergence.tests.scenarios.framework import GetRes
from convergence.tests.scenarios.framework import RsrcDef
from convergence.tests.scenarios.framework import Template

EMPTY = Template({})


def base() -> Template:
    return Template({
        'A': RsrcDef({}, []),
        'B': RsrcDef({}, []),
        'C': RsrcDef({'a': '4alpha'}, ['A', 'B']),
        'D': RsrcDef({'c': GetRes('C')}),
        'E': RsrcDef({'ca': GetAtt('C', 'a')}),
    })


def replaceable(a_value: str) -> Template:
    return Template({
        'A': RsrcDef({'a': a_value}),
        'B': RsrcDef({}),
        'C': RsrcDef({'!a': GetAtt('A', 'a')}, ['B']),
        'D': RsrcDef({'c': GetRes('C')}),
        'E': RsrcDef({'ca': GetAtt('C', '!a')}),
    })


def renamed(a_value: str) -> Template:
    return Template({
        'A': RsrcDef({'a': a_value}),
        'B': RsrcDef({}),
        'newC': RsrcDef({'!a': GetAtt('A', 'a')}, ['B']),
        'D': RsrcDef({'c': GetRes('newC')}),
        'E': RsrcDef({'ca': GetAtt('newC', '!a')}),
    })


def plus(tmpl: Template, **more: RsrcDef) -> Template:
    """``tmpl`` with more resources."""
    return Template(dict(tmpl.resources, **more))


def minus(tmpl: Template, *names: str) -> Template:
    """``tmpl`` without some resources."""
    return Template({n: d for n, d in tmpl.resources.items()
                     if n not in names})


def after_d_and_e() -> RsrcDef:
    """F, the resource the "update add" scenarios append: it waits for D, E."""
    return RsrcDef({}, ['D', 'E'])
