"""Test packages collected only when an environment variable asks for them
(faults, cloud): they take minutes or build services, so the functional
suite leaves them out."""

import os


def loader(enable_env: str, package_file: str):
    """A ``load_tests`` for the package of ``package_file`` that discovers
    its tests only when ``enable_env`` is set."""
    here = os.path.dirname(os.path.abspath(package_file))
    top = os.path.dirname(os.path.dirname(here))

    def load_tests(loader, standard_tests, pattern):
        if not os.environ.get(enable_env):
            return standard_tests
        standard_tests.addTests(loader.discover(
            start_dir=here, pattern=pattern or 'test*.py',
            top_level_dir=top))
        return standard_tests
    return load_tests
