"""Upstream heat-api (openstack-heat 27.0.1, noauth) in front of our engines.

Heat 27 ships heat-api as a WSGI application (``heat.wsgi.api``) only; it
runs here under uwsgi as a deployment would, from the Heat venv, with a
heat.conf that says no more than an operator's would: the same
``transport_url`` as the engines, the noauth paste flavor, the legacy
policies (noauth's one role is admin).  ``control_exchange`` is left at
Heat's default, which is the engines' too.

``python -m functional_tests.stock_heat_api ENDPOINT_FILE [regex]`` brings
up a deployment (two convergence-engines on MariaDB, heat-api) for Heat's
own functional tests (functional_tests/heat/run.sh with
``HEAT_FRONT=stock-heat-api``): it writes heat-api's endpoint to
ENDPOINT_FILE and holds the deployment until SIGTERM.
"""

import os
import signal
import sys
import threading

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


def heat_conf(transport_url: str, state_dir: str) -> dict:
    """heat-api's heat.conf sections; writes the policy file it names."""
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


def command(uwsgi: str, port: int, conf_path: str) -> list[str]:
    """uwsgi serving heat.wsgi.api from the Heat venv on ``port``."""
    return [uwsgi, '--master', '--http-socket', '127.0.0.1:%d' % port,
            '--processes', '2', '--threads', '4', '--enable-threads',
            '--lazy-apps', '--die-on-term', '--need-app',
            '--virtualenv', HEAT_VENV, '--module', 'heat.wsgi.api:application',
            '--pyargv', '--config-file %s' % conf_path]


def main() -> int:
    from functional_tests import deployment

    reason = unavailable_reason()
    if reason:
        print(reason, file=sys.stderr)
        return 2
    endpoint_file = sys.argv[1]
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    rig = deployment.matrix_deployment('stock-heat-api', {})
    try:
        rig.setUp()
        with open(endpoint_file, 'w') as out:
            out.write(rig.endpoint)
        print('heat-api %s in front of %d engines; logs in %s' % (
            rig.endpoint, ENGINES, rig.state_dir), file=sys.stderr,
            flush=True)
        while not stop.wait(1):
            if not rig.alive():
                print('a process of the deployment died:\n%s'
                      % rig.log_since({}), file=sys.stderr)
                return 1
        return 0
    finally:
        rig.cleanUp()


if __name__ == '__main__':
    sys.exit(main())
