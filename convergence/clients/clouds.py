"""The engine's clouds (cloud_ports.Clouds): stack credentials and their clients.

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
from convergence.clients import orchestration
from convergence.clients import options
from convergence.clients import sessions
from convergence.clients import stack_domain
from convergence.clients import stack_users
from convergence.clients import trusts

LOG = logging.getLogger(__name__)

# Credentials whose clients one process keeps.
CACHE_SIZE = 256
NO_TRUSTEE = ('this engine has no [trustee] service user to act for the '
              'stack\'s user later through a Keystone trust; set [trustee] '
              'auth_type = password, auth_url, username, password and '
              'user_domain_name to use cloud resource types.')


class OpenStackCloud:
    """cloud_ports.Cloud for one credential: its keystoneauth plugin, its region."""

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

    def orchestration(self, region: str | None = None,
                      ca_cert: str | None = None,
                      insecure: bool = False
                      ) -> orchestration.SdkOrchestration:
        region = region or self.region
        service = orchestration.SERVICE_TYPE
        if not self._has_endpoint(service, region):
            where = ' in %s region' % region if region else ''
            raise errors.CloudError('%s endpoint for %s service%s not found'
                                    % (self._interface(service), service,
                                       where))
        key = ('heat', region, ca_cert, insecure)
        with self._lock:
            if key not in self._clients:
                session = sessions.session(self.conf, self.auth, 'heat')
                if insecure:
                    session.verify = False
                elif ca_cert:
                    session.verify = sessions.ca_file(ca_cert)
                self._clients[key] = orchestration.SdkOrchestration(
                    self._connection('heat', session, region).orchestration,
                    self.conf.client_retry_limit)
            return self._clients[key]

    def _connection(self, client: str, session=None, region=None):
        import openstack.connection

        service = {'neutron': 'network', 'keystone': 'identity',
                   'nova': 'compute', 'cinder': 'block_storage',
                   'glance': 'image', 'heat': 'orchestration'}[client]
        return openstack.connection.Connection(
            session=session or sessions.session(self.conf, self.auth, client),
            region_name=region or self.region,
            interface=options.interface(self.conf, None),
            **{'%s_interface' % service: options.interface(self.conf,
                                                           client)})

    def _interface(self, service_type: str) -> str:
        return options.interface(self.conf,
                                 options.SERVICE_CLIENTS.get(service_type))

    def _has_endpoint(self, service_type: str, region: str | None) -> bool:
        keystone = sessions.session(self.conf, self.auth, 'keystone')
        access = self.auth.get_access(keystone)
        found = access.service_catalog.get_endpoints(
            service_type=service_type,
            interface=self._interface(service_type), region_name=region)
        return bool(found.get(service_type))

    def has_service(self, service_type: str) -> bool:
        return self._has_endpoint(service_type, self.region)


class CloudClients:
    """cloud_ports.Clouds on the real Keystone and services."""

    def __init__(self, conf: cfg.ConfigOpts, db):
        """Raises stack_domain.StackDomainConfigError when the stack user
        domain options are set but cannot work (a start-up error)."""
        self.conf, self.db = conf, db
        self._lock = threading.Lock()
        self._clouds: collections.OrderedDict = collections.OrderedDict()
        domain = stack_domain.settings(conf)
        self.domain = (None if domain is None
                       else stack_domain.KeystoneStackDomain(conf, domain))

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

    def stack_users(self, stack: dict) -> stack_users.StackUsers:
        if self.domain is None:
            raise errors.CloudUnavailable(stack_domain.NOT_CONFIGURED)
        creds_id = stack.get('user_creds_id')
        if not creds_id:
            raise errors.CloudUnavailable(
                'stack %s has no credentials to make stack users with: it '
                'was created without a Keystone token (noauth mode)'
                % stack.get('name'))
        return stack_users.StackUsers(
            self.domain, stack_users.CredsProject(self.db, creds_id),
            stack['tenant'], stack.get('root_stack_id') or stack['id'])

    def stack_user_project(self, stack: dict) -> str | None:
        creds_id = stack.get('user_creds_id')
        creds = self.db.user_creds_get(creds_id) if creds_id else None
        return None if creds is None else creds['stack_user_project_id']

    def stack_creds_create(self, ctxt, stack_id: str) -> str | None:
        if not getattr(ctxt, 'auth_token', None) or \
                not self.trusts_configured():
            return None  # no cloud type is available to the stack either
        trust_id = trusts.of_token(ctxt) or trusts.create(self.conf, ctxt)
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
        if creds is not None:
            stack_users.delete_tree_project(
                self.domain, creds.get('stack_user_project_id'), stack['id'])
        trust_id = creds and creds['trust_id']
        # A trust another stack's credentials name too (the stack was made
        # through it, by OS::Heat::Stack) is that stack's to delete.
        if trust_id and not self.db.user_creds_sharing_trust(trust_id,
                                                             creds_id):
            self._delete_trust(stack, trust_id)
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
