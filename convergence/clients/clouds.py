"""The engine's clouds (ports.Clouds): stack credentials and their clients.

A stack tree's credentials are a trust (``trusts``), stored as one
user_creds row that every stack of the tree names.  ``for_stack`` gives the
clients acting through that trust, built once per credential and process
and kept (keystoneauth renews the trust's token when it nears expiry), so a
node on any engine, a timeout, a recovery or a signal acts as the creator
without the creator's token.
"""

import collections
import logging
import threading
import uuid

from oslo_config import cfg

from convergence.clients import block_storage
from convergence.clients import catalog
from convergence.clients import compute
from convergence.clients import errors
from convergence.clients import identity
from convergence.clients import image
from convergence.clients import network
from convergence.clients import options
from convergence.clients import sessions
from convergence.clients import trusts

LOG = logging.getLogger(__name__)

# Credentials whose clients one process keeps.
CACHE_SIZE = 256
NO_TRUSTEE = ('this engine has no [trustee] service user to act for the '
              'stack\'s user later through a Keystone trust; set [trustee] '
              'auth_type = password, auth_url, username, password and '
              'user_domain_name to use cloud resource types.')


class OpenStackCloud:
    """ports.Cloud for one credential: its keystoneauth plugin, its region."""

    def __init__(self, conf: cfg.ConfigOpts, auth, region: str | None):
        self.conf, self.auth, self.region = conf, auth, region
        self._clients: dict[str, object] = {}
        self._lock = threading.Lock()

    def _client(self, client: str, make, proxy: str):
        with self._lock:
            if client not in self._clients:
                self._clients[client] = make(
                    getattr(self._connection(client), proxy),
                    self.conf.client_retry_limit)
            return self._clients[client]

    @property
    def network(self) -> network.SdkNetwork:
        return self._client('neutron', network.SdkNetwork, 'network')

    @property
    def compute(self) -> compute.SdkCompute:
        return self._client('nova', compute.SdkCompute, 'compute')

    @property
    def block_storage(self) -> block_storage.SdkBlockStorage:
        return self._client('cinder', block_storage.SdkBlockStorage,
                            'block_storage')

    @property
    def image(self) -> image.SdkImage:
        return self._client('glance', image.SdkImage, 'image')

    @property
    def identity(self) -> identity.SdkIdentity:
        return self._client('keystone', identity.SdkIdentity, 'identity')

    def _connection(self, client: str):
        import openstack.connection

        service = {'neutron': 'network', 'keystone': 'identity',
                   'nova': 'compute', 'cinder': 'block_storage',
                   'glance': 'image'}[client]
        return openstack.connection.Connection(
            session=sessions.session(self.conf, self.auth, client),
            region_name=self.region,
            interface=options.interface(self.conf, None),
            **{'%s_interface' % service: options.interface(self.conf,
                                                           client)})

    def has_service(self, service_type: str) -> bool:
        keystone = sessions.session(self.conf, self.auth, 'keystone')
        access = self.auth.get_access(keystone)
        found = access.service_catalog.get_endpoints(
            service_type=service_type,
            interface=options.interface(
                self.conf, options.SERVICE_CLIENTS.get(service_type)),
            region_name=self.region)
        return bool(found.get(service_type))


class CloudClients:
    """ports.Clouds on the real Keystone and services."""

    def __init__(self, conf: cfg.ConfigOpts, db):
        self.conf, self.db = conf, db
        self._lock = threading.Lock()
        self._clouds: collections.OrderedDict = collections.OrderedDict()

    def region(self, ctxt) -> str | None:
        """The request's region (X-Region-Name), else the configured one."""
        return (getattr(ctxt, 'region_name', None)
                or self.conf.region_name_for_services)

    def trusts_configured(self) -> bool:
        """Whether ``[trustee]`` names the engine's service user."""
        return bool(self.conf[options.TRUSTEE_GROUP].auth_type)

    def catalog(self, ctxt) -> frozenset | None:
        if not self.trusts_configured() and getattr(ctxt, 'auth_token',
                                                    None):
            raise errors.CloudUnavailable(NO_TRUSTEE)

        def interface_of(service_type):
            return options.interface(
                self.conf, options.SERVICE_CLIENTS.get(service_type))
        return catalog.service_types(getattr(ctxt, 'auth_token_info', None),
                                     interface_of, self.region(ctxt))

    def for_request(self, ctxt) -> OpenStackCloud:
        session = sessions.token_session(self.conf, ctxt)
        return OpenStackCloud(self.conf, session.auth, self.region(ctxt))

    def for_stack(self, stack: dict) -> OpenStackCloud:
        creds_id = stack.get('user_creds_id')
        if not creds_id:
            raise errors.CloudUnavailable(
                'stack %s has no credentials to act with: it was created '
                'without a Keystone token (noauth mode)' % stack.get('name'))
        with self._lock:
            cloud = self._clouds.get(creds_id)
            if cloud is not None:
                self._clouds.move_to_end(creds_id)
                return cloud
        creds = self.db.user_creds_get(creds_id)
        if creds is None or not creds['trust_id']:
            raise errors.CloudUnavailable(
                'the credentials of stack %s are gone' % stack.get('name'))
        cloud = OpenStackCloud(self.conf, sessions.trustee_auth(
            self.conf, creds['trust_id']), creds['region_name'])
        with self._lock:
            self._clouds[creds_id] = cloud
            while len(self._clouds) > CACHE_SIZE:
                self._clouds.popitem(last=False)
        return cloud

    def stack_creds_create(self, ctxt, stack_id: str) -> str | None:
        if not getattr(ctxt, 'auth_token', None) or \
                not self.trusts_configured():
            return None  # no cloud type is available to the stack either
        trust_id = trusts.create(self.conf, ctxt)
        creds_id = str(uuid.uuid4())
        self.db.user_creds_create({
            'id': creds_id, 'trust_id': trust_id,
            'trustor_user_id': ctxt.user_id, 'tenant': ctxt.project_id,
            'region_name': self.region(ctxt)})
        LOG.info('stack %s acts through trust %s of user %s', stack_id,
                 trust_id, ctxt.user_id)
        return creds_id

    def stack_creds_delete(self, stack: dict, ctxt=None) -> None:
        creds_id = stack.get('user_creds_id')
        if not creds_id or stack.get('owner_id'):
            return  # noauth, or a nested stack: the root's are shared
        creds = self.db.user_creds_get(creds_id)
        if creds is not None and creds['trust_id']:
            self._delete_trust(stack, creds['trust_id'])
        self.db.user_creds_delete(creds_id)
        with self._lock:
            self._clouds.pop(creds_id, None)

    def _delete_trust(self, stack: dict, trust_id: str) -> None:
        try:
            session = sessions.session(
                self.conf, sessions.trustee_auth(self.conf, trust_id),
                'keystone')
            if not trusts.delete(self.conf, trust_id, session):
                LOG.info('trust %s of stack %s was already gone', trust_id,
                         stack['id'])
        except (errors.CloudError, errors.CloudUnavailable) as exc:
            # Keystone refusing leaves a trust nobody uses; never a stack
            # that cannot be deleted.
            LOG.warning('trust %s of stack %s could not be deleted: %s',
                        trust_id, stack['id'], exc)
