"""The ``plugin_dirs`` directory of the functional tests' engines.

Each subpackage here is a resource plugin the engines load at start (see
convergence.resources.plugin_loader); the tests import the same packages to
read what the plugins recorded.
"""
