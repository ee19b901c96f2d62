"""tempest.conf for Heat's functional tests against a local cloud.

heat_integrationtests (in the openstack-heat wheel) and heat-tempest-plugin
read the same ``[heat_plugin]`` group: the users (demo as the tests' user,
admin for the admin tests), Keystone, and the cloud's image, flavors and
networks from the seed (functional_tests/cloud/seed.py).  The cloud has
no data plane (the fake virt driver runs no guest), so the scenario tests,
which log in to servers, are off.  ``python -m functional_tests.cloud
tempest-conf PATH`` writes it for the cloud local_cloud.get() finds.
"""

from functional_tests.cloud import configs
from functional_tests.cloud import local_cloud
from functional_tests.cloud import seed as seed_mod

# Seconds a test's stack may take (servers are ACTIVE in ~3 s here).
BUILD_TIMEOUT = 300


def sections(cloud: local_cloud.LocalCloud, log_file: str,
             skip: tuple[str, ...] = (),
             build_timeout: int = BUILD_TIMEOUT) -> configs.Sections:
    """tempest.conf for ``cloud``; ``skip`` names tests or classes to skip
    (``[heat_plugin] skip_functional_test_list``)."""
    demo, admin = cloud.demo, cloud.admin
    plugin = {
        'username': demo.username, 'password': demo.password,
        'project_name': demo.project_name,
        'admin_username': admin.username, 'admin_password': admin.password,
        'admin_project_name': admin.project_name,
        'auth_url': cloud.auth_url, 'auth_version': 3,
        'user_domain_name': demo.user_domain_name,
        'project_domain_name': demo.project_domain_name,
        'region': cloud.region,
        'instance_type': 'm1.small', 'minimal_instance_type': 'm1.tiny',
        'image_ref': seed_mod.IMAGE, 'minimal_image_ref': seed_mod.IMAGE,
        'fixed_network_name': seed_mod.PRIVATE,
        'fixed_subnet_name': seed_mod.PRIVATE_SUBNET,
        'network_for_ssh': seed_mod.PRIVATE,
        'floating_network_name': seed_mod.PUBLIC,
        'convergence_engine_enabled': True,
        'skip_scenario_tests': True,
        'build_interval': 1, 'build_timeout': build_timeout,
        'volume_size': 1,
    }
    if skip:
        plugin['skip_functional_test_list'] = list(skip)
    return {
        'DEFAULT': {'log_file': log_file},
        'auth': {'use_dynamic_credentials': False},
        'identity': {'uri_v3': cloud.auth_url, 'auth_version': 'v3',
                     'region': cloud.region},
        'service_available': {'heat': True, 'nova': True, 'neutron': True,
                              'cinder': True, 'glance': True,
                              'swift': False},
        'heat_plugin': plugin,
    }


def write(path: str, log_file: str, skip: tuple[str, ...] = ()) -> None:
    with open(path, 'w') as f:
        f.write(configs.render(sections(local_cloud.get(), log_file, skip)))
