"""The cloud ports: the OpenStack services a stack's resources act on, and
what each method promises.

A resource plugin reaches the cloud only through a ``Cloud`` (one stack's
credentials' clients) that ``Clouds`` (``Runtime.clouds``) gives it.
Production's are ``convergence.clients.clouds``: openstacksdk on
keystoneauth1 sessions of the stack's trust; the in-memory twins
(``convergence.clients.memory*``) keep the same promises for unit tests.
Errors are ``convergence.clients.errors``: a method raises NotFound,
Conflict and the like in the cloud's own words, never an SDK exception.
"""

from collections.abc import Sequence
from typing import Protocol


class NetworkAPI(Protocol):
    """Neutron's resources as plain dicts (Neutron's own field names), by
    ``kind``: ``network``, ``subnet``, ``port``, ``router``,
    ``security_group``, ``security_group_rule``, ``floatingip``.

    A cloud error raises ``convergence.clients.errors.CloudError`` (its
    class named as neutronclient names it: BadRequest, Conflict, ...,
    carrying the cloud's message); transient errors have been retried.
    """

    def create(self, kind: str, attrs: dict) -> dict:
        """Create one; the cloud's representation of it."""

    def show(self, kind: str, resource_id: str) -> dict | None:
        """The cloud's representation, or None when it is gone."""

    def find(self, kind: str, name_or_id: str) -> dict | None:
        """The one with this id, else the one with this name; None when
        there is none.  Raises errors.Ambiguous when several have the name."""

    def list(self, kind: str, filters: dict) -> list[dict]:
        """Those whose fields equal ``filters`` (Neutron's query)."""

    def update(self, kind: str, resource_id: str, attrs: dict) -> dict:
        """Change it in place; the cloud's new representation."""

    def delete(self, kind: str, resource_id: str) -> bool:
        """Delete it; False when it was already gone."""

    def router_interface(self, router_id: str, add: bool,
                         subnet_id: str | None = None,
                         port_id: str | None = None) -> dict | None:
        """Attach (``add``) or detach a subnet or port; detaching what is
        not attached (or a router that is gone) answers None."""

    def extra_routes(self, router_id: str, add: bool,
                     routes: Sequence[dict]) -> dict | None:
        """Add or remove these extra routes (``destination``, ``nexthop``)
        of a router in one step (Neutron's extraroute-atomic), other routes
        untouched; the router as Neutron holds it after.  Adding one
        already there changes nothing; removing from a router that is gone
        answers None."""


class ComputeAPI(Protocol):
    """Nova's resources as plain dicts (Nova's field names), by ``kind``:
    ``server``, ``flavor``, ``keypair`` (its id is its name),
    ``server_group``, ``aggregate``.  Errors as NetworkAPI's."""

    def create(self, kind: str, attrs: dict) -> dict:
        """Create one; Nova's representation of it."""

    def show(self, kind: str, resource_id: str) -> dict | None:
        """Nova's representation, or None when it is gone."""

    def find(self, kind: str, name_or_id: str) -> dict | None:
        """The one with this id, else the one with this name; None when
        there is none.  Raises errors.Ambiguous when several have the name."""

    def update(self, kind: str, resource_id: str, attrs: dict) -> dict:
        """Change it in place (a server's name); the new representation."""

    def delete(self, kind: str, resource_id: str) -> bool:
        """Delete it (a server: start deleting); False when already gone."""

    def action(self, kind: str, resource_id: str, name: str,
               args: dict | None = None) -> dict | None:
        """One of Nova's actions (``resize``, ``confirmResize``,
        ``rebuild``, ``suspend``, ``resume``, ``addTenantAccess``...)."""

    def tagged(self, kind: str, tag: str) -> list[dict]:
        """The servers of the caller's project that carry ``tag``."""

    def set_metadata(self, server_id: str, metadata: dict) -> dict:
        """Replace a server's metadata."""

    def set_extra_specs(self, flavor_id: str, specs: dict) -> None:
        """Make a flavor's extra specs exactly ``specs``."""

    def compute_host(self, host: str) -> dict | None:
        """The nova-compute service of the host named ``host`` (an
        aggregate's hosts are these), or None."""

    def flavor_access(self, flavor_id: str) -> list[str]:
        """The projects given access to a private flavor."""

    def attach_volume(self, server_id: str, volume_id: str,
                      device: str | None) -> dict:
        """Start attaching a volume; Nova's volumeAttachment."""

    def detach_volume(self, server_id: str, volume_id: str) -> bool:
        """Start detaching; False when it was not attached (or the server
        is gone)."""

    def show_attachment(self, server_id: str,
                        volume_id: str) -> dict | None:
        """The volumeAttachment, or None when there is none."""

    def detach_interface(self, server_id: str, port_id: str) -> bool:
        """Start detaching a port; False when it was not attached."""

    def attach_interface(self, server_id: str, port_id: str | None = None,
                         net_id: str | None = None,
                         fixed_ip: str | None = None) -> dict:
        """Nova's os-interface attach: a port given, or one Nova makes on
        ``net_id`` (at ``fixed_ip``), or on the network Nova picks when
        neither is given.  Returns Nova's ``interfaceAttachment``."""

    def interfaces(self, server_id: str) -> list[dict]:
        """The server's interfaceAttachments (port_id, net_id, fixed_ips,
        mac_addr)."""


class BlockStorageAPI(Protocol):
    """Cinder's resources as plain dicts, by ``kind``: ``volume``,
    ``volume_type``.  Errors as NetworkAPI's."""

    def create(self, kind: str, attrs: dict) -> dict:
        """Create one; Cinder's representation of it."""

    def show(self, kind: str, resource_id: str) -> dict | None:
        """Cinder's representation, or None when it is gone."""

    def find(self, kind: str, name_or_id: str) -> dict | None:
        """By id, else by name; None when there is none (errors.Ambiguous
        when several have the name)."""

    def update(self, kind: str, resource_id: str, attrs: dict) -> dict:
        """Change name or description in place."""

    def delete(self, kind: str, resource_id: str) -> bool:
        """Start deleting; False when already gone."""

    def action(self, kind: str, resource_id: str, name: str,
               args: dict | None = None) -> None:
        """One of Cinder's actions (``os-extend``...)."""

    def set_metadata(self, volume_id: str, metadata: dict) -> dict:
        """Replace a volume's metadata."""

    def set_extra_specs(self, type_id: str, specs: dict) -> None:
        """Set (add or change) a volume type's extra specs."""

    def unset_extra_spec(self, type_id: str, key: str) -> None:
        """Remove one extra spec of a volume type."""

    def type_access(self, type_id: str) -> list[str]:
        """The projects a private volume type is given to."""

    def change_type_access(self, type_id: str, project_id: str,
                           add: bool) -> None:
        """Give a private volume type to a project, or take it back."""

    def encryption(self, type_id: str) -> dict | None:
        """A volume type's encryption specs, None when it has none (or is
        gone)."""

    def set_encryption(self, type_id: str, specs: dict,
                       create: bool) -> dict:
        """Make a volume type encrypted (``create``) or change its
        encryption specs; the specs now."""

    def delete_encryption(self, type_id: str) -> bool:
        """Make a volume type unencrypted; False when it was not."""


class ImageAPI(Protocol):
    """Glance's v2 images as plain dicts.  Errors as NetworkAPI's."""

    def show(self, image_id: str) -> dict | None:
        """Glance's representation, or None when it is gone."""

    def find(self, name_or_id: str) -> dict | None:
        """By id, else by name; None when there is none (errors.Ambiguous
        when several have the name)."""

    def create(self, attrs: dict) -> dict:
        """Create an image record (queued, no data yet)."""

    def import_from_url(self, image_id: str, url: str) -> None:
        """Have Glance download the image's data (web-download)."""

    def delete(self, image_id: str) -> bool:
        """Delete it; False when already gone."""

    def update(self, image_id: str, changes: dict,
               removed: tuple = ()) -> dict:
        """Set fields and properties, drop the ``removed`` properties."""

    def tag(self, image_id: str, tag: str, add: bool) -> None:
        """Add a tag, or remove it (one already gone is no error)."""

    def member(self, image_id: str, member: str, add: bool) -> None:
        """Share a shared image with a member, or stop sharing it."""

    def set_active(self, image_id: str, active: bool) -> None:
        """Reactivate or deactivate it (admin only)."""

    def tasks(self, image_id: str) -> list[dict]:
        """Its import tasks (``status``, ``message``), newest first."""


class OrchestrationAPI(Protocol):
    """Heat's orchestration API (stacks as the API shows them, a stack
    addressed by its name and id).  Errors as NetworkAPI's."""

    def validate(self, body: dict) -> dict:
        """Validate a template (``template``, ``files``, ``environment``)
        as the stack create would."""

    def create(self, body: dict) -> str:
        """Start creating a stack; its id."""

    def show(self, name: str, stack_id: str) -> dict | None:
        """The stack (``stack_status``, ``outputs``...), or None when it
        is gone."""

    def update(self, name: str, stack_id: str, body: dict) -> None:
        """Start updating it (a PUT: the whole new input)."""

    def delete(self, name: str, stack_id: str) -> bool:
        """Start deleting it; False when already gone."""

    def action(self, name: str, stack_id: str, action: str) -> None:
        """Start one of its actions (suspend, resume, check)."""


class IdentityAPI(Protocol):
    """Keystone's v3 resources as plain dicts, by ``kind``: ``domain``,
    ``project``, ``user``, ``role``, ``group``, ``service``, ``endpoint``,
    ``region``; grants by ``actor`` (``user``, ``group``) on a ``scope``
    (``project``, ``domain``).  Errors as NetworkAPI's."""

    def create(self, kind: str, attrs: dict) -> dict:
        """Create one; Keystone's representation of it."""

    def show(self, kind: str, resource_id: str) -> dict | None:
        """Keystone's representation, or None when it is gone."""

    def find(self, kind: str, name_or_id: str,
             domain_id: str | None = None) -> dict | None:
        """By id, else by name (in ``domain_id`` when given); None when
        there is none (errors.Ambiguous when several have the name)."""

    def update(self, kind: str, resource_id: str, attrs: dict) -> dict:
        """Change the given fields in place (PATCH)."""

    def delete(self, kind: str, resource_id: str) -> bool:
        """Delete it; False when already gone."""

    def grant(self, role_id: str, actor: str, actor_id: str, scope: str,
              scope_id: str) -> None:
        """Give the actor the role on the project or domain."""

    def revoke(self, role_id: str, actor: str, actor_id: str, scope: str,
               scope_id: str) -> bool:
        """Take the role back; False when it was not granted."""

    def role_assignments(self, actor: str, actor_id: str) -> list[dict]:
        """Keystone's role assignments of the user or group."""

    def add_user_to_group(self, user_id: str, group_id: str) -> None:
        """Make the user a member of the group."""

    def remove_user_from_group(self, user_id: str, group_id: str) -> bool:
        """End the membership; False when there was none."""

    def user_groups(self, user_id: str) -> list[dict]:
        """The groups the user is a member of."""

    # Last: the name hides the builtin in the rest of the class body.
    def list(self, kind: str, filters: dict | None = None) -> list[dict]:
        """Those matching Keystone's query ``filters``."""


class Cloud(Protocol):
    """One stack's view of the cloud: its credentials' clients."""

    network: NetworkAPI
    compute: ComputeAPI
    block_storage: BlockStorageAPI
    image: ImageAPI
    # The region the clients use (None: the catalog's only one).
    region: str | None

    def orchestration(self, region: str | None = None,
                      ca_cert: str | None = None,
                      insecure: bool = False) -> OrchestrationAPI:
        """The orchestration API of ``region`` (else the cloud's), its
        TLS verified against the PEM ``ca_cert`` when given, not at all
        when ``insecure``.

        Raises:
            errors.CloudError: the catalog has no orchestration endpoint
                there (keystoneauth's words: ``public endpoint for
                orchestration service in <region> region not found``).
        """
    identity: IdentityAPI

    def has_service(self, service_type: str) -> bool:
        """Whether the credentials' catalog has an endpoint of this type in
        the stack's region and the configured interface."""


class StackUsers(Protocol):
    """One stack tree's users in the stack user domain (Heat's StackUser):
    the tree's domain project is made on first need."""

    auth_url: str   # Keystone v3, where the users authenticate

    def project_id(self) -> str:
        """The tree's domain project (made now if there is none)."""

    def create_user(self, name: str, password: str) -> str:
        """A user of the tree's project with the stack user role; its id."""

    def delete_user(self, user_id: str) -> None:
        """Remove it.  Idempotent."""

    def set_enabled(self, user_id: str, enabled: bool) -> None:
        """Disable (a suspend) or enable (a resume) it."""

    def create_keypair(self, user_id: str) -> dict:
        """An EC2 credential of the user: ``id``, ``access``, ``secret``."""

    def delete_keypair(self, user_id: str, credential_id: str) -> None:
        """Remove it.  Idempotent."""

    def user_token(self, user_id: str, password: str) -> str:
        """A Keystone token of the user, scoped to the tree's project."""


class Clouds(Protocol):
    """Where the engine gets clients and stack credentials."""

    def for_stack(self, stack: dict) -> Cloud:
        """The cloud as the stack's stored credentials (its tree's trust)
        see it.  Raises errors.CloudUnavailable when the stack has none
        (created in noauth mode) or they no longer work."""

    def for_request(self, ctxt) -> Cloud:
        """The cloud as the request's own token sees it (for validation).
        Raises errors.CloudUnavailable when the context has no token."""

    def catalog(self, ctxt) -> frozenset | None:
        """The service types in the request context's catalog (endpoints
        of the configured interface and region); None when the context has
        no catalog (noauth).  Raises errors.CloudUnavailable when no cloud
        type can be used whatever the catalog (no [trustee])."""

    def stack_users(self, stack: dict) -> StackUsers:
        """The stack tree's users in the stack user domain.  Raises
        errors.CloudUnavailable when no domain is configured or the stack
        has no credentials (noauth mode)."""

    def stack_user_project(self, stack: dict) -> str | None:
        """The stack tree's project in the stack user domain, None until a
        resource of the tree made a stack user (or without credentials)."""

    def stack_creds_create(self, ctxt, stack_id: str) -> str | None:
        """Delegate the request's user's roles to the engine's service user
        (a Keystone trust) and store it; the new user_creds id, or None in
        noauth mode (no token to delegate)."""

    def stack_creds_delete(self, stack: dict, ctxt=None) -> None:
        """Delete the trust of a root stack whose delete completed, its
        stack user domain project, and its row; a trust or project already
        gone is no error."""
