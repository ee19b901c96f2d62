"""WSGI applications of the cloud's APIs, for gunicorn.

gunicorn is given ``conv_cloud_plugins.wsgi:<service>()``.  Several of the
services' WSGI modules parse ``sys.argv`` with oslo.config on import, where
gunicorn's own arguments sit, so each factory first replaces the command
line with the service's name and config files, and points the service at
its config directory (``$CONV_CLOUD_ETC/<service>``).
"""

import os
import sys


def _etc(service: str) -> str:
    return os.path.join(os.environ['CONV_CLOUD_ETC'], service)


def _command_line(program: str, *config_files: str) -> None:
    sys.argv = [program]
    for path in config_files:
        sys.argv += ['--config-file', path]


def keystone():
    os.environ['OS_KEYSTONE_CONFIG_FILES'] = os.path.join(
        _etc('keystone'), 'keystone.conf')
    _command_line('keystone-wsgi-public')
    from keystone.wsgi.api import application
    return application


def placement():
    os.environ['OS_PLACEMENT_CONFIG_DIR'] = _etc('placement')
    _command_line('placement-api')
    from placement.wsgi.api import application
    return application


def glance():
    os.environ['OS_GLANCE_CONFIG_DIR'] = _etc('glance')
    _command_line('glance-api')
    from glance.wsgi.api import application
    return application


def nova():
    os.environ['OS_NOVA_CONFIG_DIR'] = _etc('nova')
    os.environ['OS_NOVA_CONFIG_FILES'] = 'api-paste.ini;nova.conf'
    _command_line('nova-api-os-compute')
    from nova.wsgi.osapi_compute import application
    return application


def neutron():
    os.environ['OS_NEUTRON_CONFIG_DIR'] = _etc('neutron')
    os.environ['OS_NEUTRON_CONFIG_FILES'] = 'neutron.conf;ml2_conf.ini'
    # Neutron counts its API workers by this variable when neither uWSGI
    # nor mod_wsgi serves it; gunicorn runs one (cloud._gunicorn's -w 1).
    os.environ.setdefault('ASGI_WORKERS', '1')
    _command_line('neutron-api')
    from neutron.wsgi.api import application
    return application


def cinder():
    _command_line('cinder-api', os.path.join(_etc('cinder'), 'cinder.conf'))
    from cinder.wsgi.api import application
    return application
