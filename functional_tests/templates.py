"""Templates the functional tests share, as YAML strings (as Heat's own
functional tests send them)."""

import json

HOT = 'heat_template_version: 2015-10-15\n'


def _waits(create: float = 0, update: float = 0, delete: float = 0) -> str:
    return json.dumps({'create': create, 'update': update, 'delete': delete})


def two_tests(create_wait: float = 0, update_wait: float = 0,
              update_replace: bool = False, fail: bool = False) -> str:
    """test1 then test2 (``depends_on``), both valued ``foo``; the waits and
    flags apply to test1.  Outputs out1/out2 are their ``output`` attrs."""
    return HOT + f"""
parameters:
  foo:
    type: string
    default: one
resources:
  test1:
    type: OS::Heat::TestResource
    properties:
      value: {{get_param: foo}}
      update_replace: {json.dumps(update_replace)}
      fail: {json.dumps(fail)}
      action_wait_secs: {_waits(create_wait, update_wait)}
  test2:
    type: OS::Heat::TestResource
    properties:
      value: {{get_param: foo}}
    depends_on: test1
outputs:
  out1:
    value: {{get_attr: [test1, output]}}
  out2:
    value: {{get_attr: [test2, output]}}
"""


ALL_TYPES = HOT + """
description: every built-in type, wired together
parameters:
  greeting:
    type: string
    default: hello
resources:
  secret:
    type: OS::Heat::RandomString
    properties:
      length: 12
      character_classes: [{class: digits, min: 12}]
  message:
    type: OS::Heat::Value
    properties:
      value:
        str_replace:
          template: $G $S
          params:
            $G: {get_param: greeting}
            $S: {get_attr: [secret, value]}
  counted:
    type: OS::Heat::Value
    properties:
      type: number
      value: 42
  placeholder:
    type: OS::Heat::None
    properties:
      anything: {get_resource: secret}
  slow:
    type: OS::Heat::TestResource
    properties:
      value: {get_attr: [message, value]}
      action_wait_secs: {create: 1}
outputs:
  secret:
    value: {get_attr: [secret, value]}
  secret_ref:
    value: {get_resource: secret}
  message:
    description: the greeting
    value: {get_attr: [message, value]}
  counted:
    value: {get_attr: [counted, value]}
  slow:
    value: {get_attr: [slow, output]}
  placeholder:
    value: {get_resource: placeholder}
"""


def test_resources(*names: str, value: str = 'v') -> str:
    """Independent TestResources with the given names."""
    body = ''.join(f"""
  {name}:
    type: OS::Heat::TestResource
    properties:
      value: {value}
""" for name in names)
    return HOT + 'resources:' + body


def single(create_wait: float = 0, update_wait: float = 0,
           value: str = 'one', fail: bool = False,
           with_b: bool = False, update_replace: bool = False) -> str:
    """One TestResource ``a`` with an output ``out`` (and, ``with_b``, an
    independent OS::Heat::None ``b``)."""
    b = '\n  b:\n    type: OS::Heat::None\n' if with_b else ''
    return HOT + f"""
resources:
  a:
    type: OS::Heat::TestResource
    properties:
      value: {value}
      fail: {json.dumps(fail)}
      update_replace: {json.dumps(update_replace)}
      action_wait_secs: {_waits(create_wait, update_wait)}
{b}
outputs:
  out:
    value: {{get_attr: [a, output]}}
"""


def fan_in(width: int, leaf_create_wait: float = 1,
           update_wait: float = 2) -> str:
    """``width`` leaves valued ``foo`` joined into one resource (``join``),
    whose ``output`` is the leaves' outputs comma-joined (output
    ``joined``).  The join's create waits 1 s; every update waits
    ``update_wait``."""
    leaves = ''.join(f"""
  leaf{i}:
    type: OS::Heat::TestResource
    properties:
      value: {{get_param: foo}}
      action_wait_secs: {_waits(leaf_create_wait, update_wait)}""" for i in range(width))
    refs = ', '.join('{get_attr: [leaf%d, output]}' % i for i in range(width))
    return HOT + f"""
parameters:
  foo: {{type: string, default: one}}
resources:{leaves}
  join:
    type: OS::Heat::TestResource
    properties:
      value: {{list_join: [',', [{refs}]]}}
      action_wait_secs: {_waits(1, update_wait)}
outputs:
  joined: {{value: {{get_attr: [join, output]}}}}
"""
