"""The cloud's services in one virtualenv from PyPI, built once.

``ensure(venv)`` makes ``venv`` hold Keystone, Placement, Glance, Nova,
Neutron and Cinder (the releases upstream Heat 27.0.1 is tested with here),
gunicorn and PyMySQL at the versions of ``constraints.txt`` (a pip freeze
of a venv that worked), plus this package's ``plugins``.  A stamp file
records what was installed; a venv whose stamp matches is used as it is
(a second start takes no pip time), one whose stamp differs is brought up
to date by pip, additively.  pip runs under ``nice``: the machine's cores
are shared.
"""

import hashlib
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PLUGINS = os.path.join(HERE, 'plugins')
CONSTRAINTS = os.path.join(HERE, 'constraints.txt')
PACKAGES = ('keystone==30.0.0', 'openstack-placement==16.0.0',
            'glance==33.0.0', 'nova==34.0.0', 'neutron==29.0.0',
            'cinder==29.0.0', 'gunicorn', 'PyMySQL')
# Seconds pip may take for the whole set (about 1 min here, more on a
# cold pip cache or a slow mirror).
PIP_TIMEOUT = 1800
STAMP = 'conv-cloud-stamp'


class VenvUnavailable(Exception):
    """The virtualenv cannot be built; the message says why."""


def _digest() -> str:
    """What the venv must hold: the packages, constraints and plugins."""
    digest = hashlib.sha256(repr(PACKAGES).encode())
    paths = [CONSTRAINTS]
    for root, dirs, names in os.walk(PLUGINS):
        dirs[:] = sorted(d for d in dirs if not d.endswith(
            ('.egg-info', '__pycache__', 'build')))
        paths += [os.path.join(root, n) for n in sorted(names)
                  if n.endswith(('.py', '.toml'))]
    for path in paths:
        with open(path, 'rb') as f:
            digest.update(path[len(HERE):].encode() + b'\0' + f.read())
    return digest.hexdigest()


def _stamp_path(venv: str) -> str:
    return os.path.join(venv, STAMP)


def current(venv: str) -> bool:
    try:
        with open(_stamp_path(venv)) as f:
            return f.read().strip() == _digest()
    except OSError:
        return False


def _run(command: list[str], log_path: str) -> None:
    with open(log_path, 'a') as log:
        log.write('$ %s\n' % ' '.join(command))
        log.flush()
        result = subprocess.run(['nice'] + command, stdout=log,
                                stderr=subprocess.STDOUT, timeout=PIP_TIMEOUT)
    if result.returncode != 0:
        with open(log_path) as log:
            tail = log.read()[-3000:]
        raise VenvUnavailable('%s exited %s (log %s):\n%s' % (
            ' '.join(command[:3]), result.returncode, log_path, tail))


def ensure(venv: str, log_path: str) -> bool:
    """Build or complete ``venv``; True when pip had to run."""
    if current(venv):
        return False
    os.makedirs(os.path.dirname(log_path), exist_ok=True)
    pip = os.path.join(venv, 'bin', 'pip')
    try:
        if not os.path.exists(pip):
            _run([sys.executable, '-m', 'venv', venv], log_path)
            _run([pip, 'install', '-q', '-U', 'pip'], log_path)
        _run([pip, 'install', '-q', '-c', CONSTRAINTS]
             + list(PACKAGES) + [PLUGINS], log_path)
    except (OSError, subprocess.SubprocessError) as err:
        raise VenvUnavailable('cannot build %s: %s' % (venv, err))
    with open(_stamp_path(venv), 'w') as f:
        f.write(_digest())
    return True
