"""What the local test cloud plugs into its services.

Installed into the cloud's virtualenv only (functional_tests/cloud/
layout.VENV) and imported by Keystone, Nova, Neutron and Cinder there,
never by the project: agent-less drivers for Neutron and Cinder, and the
WSGI entry points gunicorn serves.
"""
