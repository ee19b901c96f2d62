"""Upstream heat-api (openstack-heat 27.0.1) in front of our engines.

Heat 27 ships heat-api as a WSGI application (``heat.wsgi.api``) only; it
runs here under uwsgi as a deployment would, from the Heat venv, with a
heat.conf that says no more than an operator's would: the same
``transport_url`` as the engines, the noauth paste flavor, the legacy
policies (noauth's one role is admin).  ``control_exchange`` is left at
Heat's default, which is the engines' too.  With ``keystone`` (its
``[keystone_authtoken]``) it is heat-api as deployed behind Keystone
instead: Heat's default pipeline (authurl, auth_token, context) and Heat's
own default policies.

The deployment ``stock-heat-api`` (functional_tests/deployment.py) puts it
in front of two convergence-engines on MariaDB, for our functional tests
and for Heat's own (functional_tests/heat/run.sh with
``HEAT_FUNCTIONAL_DEPLOYMENT=stock-heat-api``).
"""

import os

ANCHORS = os.environ.get('ACCEPT_ANCHORS',
                         os.path.expanduser('~/.cache/convergence-acceptance'))
HEAT_VENV = os.environ.get('HEAT_VENV', os.path.join(ANCHORS, 'heat-ref-venv'))
# Engines behind heat-api in this deployment, as the brief of issue 12 asks.
ENGINES = 2
# noauth gives the single role "admin"; Keystone would imply member and
# reader as well.  The one rule without a legacy fallback that Heat's API
# tests reach is opened to admin (as tools/reference-heat does).
POLICY = ('"software_deployments:metadata": "role:admin or (role:reader and '
          'project_id:%(project_id)s) or role:heat_stack_user"\n')


def unavailable_reason() -> str | None:
    """Why heat-api cannot be run here, or None when it can."""
    python = os.path.join(HEAT_VENV, 'bin', 'python')
    if not os.path.exists(python):
        return 'no Heat venv (openstack-heat 27.0.1) at %s' % HEAT_VENV
    if not os.path.exists(_paste_config()):
        return 'the Heat venv %s has no etc/heat/api-paste.ini' % HEAT_VENV
    return None


def _paste_config() -> str:
    return os.path.join(HEAT_VENV, 'etc', 'heat', 'api-paste.ini')


def heat_conf(transport_url: str, state_dir: str,
              keystone: dict | None = None) -> dict:
    """heat-api's heat.conf sections; writes the policy file it names.

    ``keystone``, a ``[keystone_authtoken]`` section, puts heat-api behind
    that Keystone rather than noauth."""
    if keystone is not None:
        return _keystone_conf(transport_url, keystone)
    policy = os.path.join(state_dir, 'heat-api-policy.yaml')
    with open(policy, 'w') as out:
        out.write(POLICY)
    return {
        'DEFAULT': {'transport_url': transport_url},
        'paste_deploy': {'flavor': 'noauth',
                         'api_paste_config': _paste_config()},
        'oslo_messaging_notifications': {'driver': 'noop'},
        'oslo_policy': {'enforce_new_defaults': 'false',
                        'enforce_scope': 'false', 'policy_file': policy},
    }


def _keystone_conf(transport_url: str, authtoken: dict) -> dict:
    # heat's authurl filter tells the engine where Keystone is from
    # [clients_keystone] auth_uri (Keystone's root, not its /v3)
    keystone_root = authtoken['www_authenticate_uri'].rstrip('/')
    if keystone_root.endswith('/v3'):
        keystone_root = keystone_root[:-len('/v3')]
    return {
        'DEFAULT': {'transport_url': transport_url},
        'paste_deploy': {'api_paste_config': _paste_config()},
        'oslo_messaging_notifications': {'driver': 'noop'},
        'keystone_authtoken': authtoken,
        'clients_keystone': {'auth_uri': keystone_root},
    }


def command(uwsgi: str, port: int, conf_path: str,
            module: str = 'heat.wsgi.api:application') -> list[str]:
    """uwsgi serving ``module`` (heat-api's; heat.wsgi.cfn:application is
    heat-api-cfn's) from the Heat venv on ``port``."""
    return [uwsgi, '--master', '--http-socket', '127.0.0.1:%d' % port,
            # uwsgi's http-socket closes every connection after its answer;
            # saying so keeps a client from sending its next request on it
            # (and having it reset)
            '--add-header', 'Connection: close',
            '--processes', '2', '--threads', '4', '--enable-threads',
            '--lazy-apps', '--die-on-term', '--need-app',
            '--virtualenv', HEAT_VENV, '--module', module,
            '--pyargv', '--config-file %s' % conf_path]
