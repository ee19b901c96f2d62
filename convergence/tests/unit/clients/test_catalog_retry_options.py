"""The pure parts of the cloud clients: catalog reading, retry policy and
Heat's [clients] / [clients_<name>] options."""

from oslo_config import cfg
import testtools

from convergence import config
from convergence.clients import catalog
from convergence.clients import errors
from convergence.clients import options
from convergence.clients import retry


def token(*services) -> dict:
    """A v3 token body with a catalog of (type, interface, region)."""
    return {'token': {'catalog': [
        {'type': kind, 'endpoints': [{'interface': interface,
                                      'region': region, 'region_id': region,
                                      'url': 'http://x'}]}
        for kind, interface, region in services]}}


class CatalogTest(testtools.TestCase):

    def test_a_service_counts_with_an_endpoint_of_its_interface_and_region(self):
        info = token(('network', 'public', 'RegionOne'),
                     ('compute', 'internal', 'RegionOne'),
                     ('volumev3', 'public', 'RegionTwo'))
        self.assertEqual({'network'}, catalog.service_types(
            info, lambda kind: 'public', 'RegionOne'))
        self.assertEqual({'network', 'volumev3'}, catalog.service_types(
            info, lambda kind: 'public', None))
        self.assertEqual({'compute'}, catalog.service_types(
            info, lambda kind: 'internal', None))

    def test_no_token_or_no_catalog_is_none_not_empty(self):
        self.assertIsNone(catalog.service_types(None, str, None))
        self.assertIsNone(catalog.service_types({'token': {}}, str, None))
        self.assertEqual(frozenset(), catalog.service_types(token(), str,
                                                            None))


class RetryTest(testtools.TestCase):

    def run_failing(self, failures, limit=2, conflict=False):
        calls, sleeps = [], []

        def call():
            calls.append(1)
            if failures:
                raise failures.pop(0)
            return 'done'
        try:
            result = retry.retried(call, limit, sleeps.append, 'test',
                                   conflict)
        except errors.CloudError as exc:
            result = exc
        return result, len(calls), sleeps

    def test_transient_errors_are_repeated_with_growing_waits(self):
        result, calls, sleeps = self.run_failing([
            errors.ConnectionFailed('refused'),
            errors.for_status(503, 'busy')])
        self.assertEqual(('done', 3, [0.5, 1.0]), (result, calls, sleeps))

    def test_the_limit_bounds_the_repeats_and_the_last_error_stays(self):
        last = errors.for_status(500, 'boom')
        result, calls, _ = self.run_failing(
            [errors.for_status(502, 'a'), last], limit=1)
        self.assertEqual((last, 2), (result, calls))
        result, calls, _ = self.run_failing([errors.for_status(502, 'a')],
                                            limit=0)
        self.assertEqual(1, calls)

    def test_client_errors_are_the_answer(self):
        bad = errors.for_status(400, 'Invalid input')
        self.assertEqual((bad, 1, []), self.run_failing([bad]))
        self.assertIsInstance(bad, errors.BadRequest)

    def test_conflicts_repeat_only_where_something_else_finishes(self):
        conflict = errors.for_status(409, 'in use')
        self.assertEqual((conflict, 1, []), self.run_failing([conflict]))
        self.assertEqual('done', self.run_failing(
            [errors.for_status(409, 'in use')], conflict=True)[0])


class ClientOptionsTest(testtools.TestCase):

    def conf(self, **groups) -> cfg.ConfigOpts:
        conf = config.register(cfg.ConfigOpts())
        conf([], project='convergence', default_config_files=[])
        for group, values in groups.items():
            for name, value in values.items():
                conf.set_override(name, value, group=group)
        return conf

    def test_a_service_group_overrides_clients_and_falls_back_to_it(self):
        conf = self.conf(clients={'endpoint_type': 'internalURL',
                                  'ca_file': '/ca.pem'},
                         clients_neutron={'endpoint_type': 'adminURL'})
        self.assertEqual('admin', options.interface(conf, 'neutron'))
        self.assertEqual('internal', options.interface(conf, 'keystone'))
        self.assertEqual('internal', options.interface(conf, None))
        self.assertEqual('/ca.pem', options.verify(conf, 'neutron'))

    def test_insecure_and_client_certificates(self):
        conf = self.conf(clients={'insecure': True},
                         clients_keystone={'insecure': False,
                                           'cert_file': '/c', 'key_file': '/k'})
        self.assertIs(False, options.verify(conf, 'neutron'))
        self.assertIs(True, options.verify(conf, 'keystone'))
        self.assertEqual(('/c', '/k'), options.cert(conf, 'keystone'))
        self.assertIsNone(options.cert(conf, 'neutron'))

    def test_heats_defaults(self):
        conf = self.conf()
        self.assertEqual(('public', True, 2, []), (
            options.interface(conf, 'neutron'), options.verify(conf, 'nova'),
            conf.client_retry_limit, conf.trusts_delegated_roles))

    def test_every_group_is_in_the_sample(self):
        groups = {group for group, _ in config.list_opts()}
        self.assertLessEqual({'clients', 'clients_neutron',
                              'clients_keystone', 'trustee'}, groups)


class ErrorPageMessageTest(testtools.TestCase):
    """An error answered as an HTML page (webob's, Glance's) reads as its
    words."""

    def test_the_words_after_the_heading_without_markup(self):
        from convergence.clients import http

        class Page:
            status_code = 400
            text = ('<html>\n <head>\n  <title>400 Bad Request</title>\n'
                    ' </head>\n <body>\n  <h1>400 Bad Request</h1>\n  URI '
                    'for web-download does not pass filtering: '
                    'http://127.0.0.1/x<br /><br />\n </body>\n</html>')

            def json(self):
                raise ValueError('not JSON')
        self.assertEqual('URI for web-download does not pass filtering: '
                         'http://127.0.0.1/x', http.message_of(Page()))
