"""The resource plugin API, shaped like Heat's so plugin authors feel at home.

A plugin subclasses ``Resource``, declares ``properties_schema`` and
``attributes_schema``, and implements ``handle_<action>`` /
``check_<action>_complete`` pairs.  The engine builds a ``ResourceContext``
(who the resource is, its physical id, its private data, a clock), constructs
the plugin with validated properties, decides with ``plan_update`` whether a
changed definition means no change, an in-place update or a replacement, and
drives actions with ``runner.run_action``.
"""

import base64
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable

from convergence.clients import errors as cloud_errors
from convergence.exceptions import InvalidTemplateAttribute, UpdateReplace
from convergence.resources.clock import Clock, WallClock
from convergence.resources.failures import resource_failure
from convergence.states import Action

# The actions a plugin implements (handle_<action> / check_<action>_complete).
ACTIONS = (CREATE, UPDATE, DELETE, SUSPEND, RESUME, CHECK, SNAPSHOT,
           ADOPT) = (
    Action.CREATE, Action.UPDATE, Action.DELETE, Action.SUSPEND,
    Action.RESUME, Action.CHECK, Action.SNAPSHOT, Action.ADOPT)

# What a changed definition means for an existing resource.
DECISIONS = (NO_CHANGE, IN_PLACE, REPLACE) = ('none', 'update', 'replace')

# The attribute every Heat resource has; these built-ins resolve it to None.
SHOW_ATTRIBUTE = 'show'

# Default seconds between two completion checks of an action.
DEFAULT_POLL_DELAY = 1.0


def short_id(resource_uuid: str) -> str:
    """12 lower-case base32 characters derived from a UUID, as Heat does.

    The 60 random bits of a version 4 UUID's time field, padded to 64 bits
    and base32-encoded; the same UUID always gives the same id.  A value that
    is not a UUID is first mapped to one (uuid5), so any string works.
    """
    try:
        source = uuid.UUID(str(resource_uuid))
    except ValueError:
        source = uuid.uuid5(uuid.NAMESPACE_OID, str(resource_uuid))
    padded = (source.time << 4).to_bytes(8, 'big')
    return base64.b32encode(padded)[:12].decode('ascii').lower()


@dataclass
class ResourceContext:
    """Everything a plugin instance knows about its place in the world.

    The engine fills it in and persists ``resource_id`` and ``data`` after an
    action; ``on_change`` (if set) is called whenever a plugin changes either,
    so the engine can persist at once (TestResource's ``value`` must be
    visible while its action is still in progress).
    """

    stack_name: str
    stack_id: str
    resource_name: str
    resource_uuid: str
    resource_id: str | None = None
    data: dict = field(default_factory=dict)
    clock: Clock = field(default_factory=WallClock)
    resource_type: str = ''
    # The project the stack belongs to (a nested stack's ARN names it).
    tenant: str = ''
    # What a nested stack resource builds its child from: the parent
    # stack's environment (as stored) and files, the attributes the parent
    # template reads of this resource, and, once the child converged, its
    # outputs.
    environment: dict = field(default_factory=dict)
    files: dict = field(default_factory=dict)
    referenced_attributes: frozenset = frozenset()
    nested_outputs: dict | None = None
    # Resizes a scaling group of the same stack when a signal asks
    # (convergence/nested/adjust.py); set for signals only.
    group_scaler: Any = None
    # The stack's resource whose reference id is the one given, as
    # {'name', 'type', 'properties', 'metadata'} or None (Heat's
    # resource_by_refid: a group reads its launch configuration); set
    # where the engine acts (worker/sibling_lookup.py).
    resource_by_refid: Callable[[str], dict | None] | None = None
    # The software config store (convergence.ports.SoftwareConfigs), for
    # the config types' actions; set for actions only.
    software_configs: Any = None
    # Where servers' agents reach the engine-served URLs and the default
    # transports (software_config.agent_urls.AgentSettings); set for
    # actions only.
    agents: Any = None
    # Gives the stack's cloud (convergence.cloud_ports.Cloud), acting with the
    # stack's credentials; raises CloudUnavailable when there is none.
    cloud_source: Callable[[], Any] | None = None
    # Gives the stack tree's users in the stack user domain
    # (convergence.cloud_ports.StackUsers); raises CloudUnavailable when none.
    stack_users_source: Callable[[], Any] | None = None
    # The resource's template Metadata, resolved, for a type that hands it
    # to what it makes (``reads_template_metadata``: an AWS instance's
    # cfn-init-data); set for actions only.
    metadata: dict = field(default_factory=dict)
    on_change: Callable[['ResourceContext'], None] | None = None

    def changed(self) -> None:
        """Tell the engine that ``resource_id`` or ``data`` changed."""
        if self.on_change is not None:
            self.on_change(self)


@dataclass(frozen=True)
class UpdatePlan:
    """What to do with an existing resource given its new properties.

    ``reason`` is Heat's "requires replacement" text when ``decision`` is
    REPLACE; ``prop_diff`` holds the changed properties' new values.
    """

    decision: str
    prop_diff: dict
    reason: str = ''


def diff_properties(old: dict, new: dict) -> dict:
    """The properties whose value differs, mapped to their new value."""
    keys = list(new) + [k for k in old if k not in new]
    return {k: new.get(k) for k in keys if old.get(k) != new.get(k)}


class Resource:
    """Base class of resource plugins; every hook has a harmless default."""

    # Property name -> properties.Schema; None accepts any properties.
    properties_schema: dict | None = {}
    # Attribute name -> description.
    attributes_schema: dict[str, str] = {}
    # Attribute name -> its type where the type declares one (string, map,
    # list...), as the resource type API shows it.
    attribute_types: dict[str, str] = {}
    # The Heat release that introduced the type (its support status).
    support_version: str | None = None
    # True when repeating an interrupted create/update/delete is harmless.
    retry_safe: bool = False
    # update_policy key -> properties.Schema: the policies the type carries
    # out; any other key is refused.
    update_policy_schema: dict = {}

    def __init__(self, name: str, properties: dict, context: ResourceContext):
        self.name = name
        self.properties = properties
        self.context = context
        # During an in-place update: the properties the resource had
        # (``properties`` are the new ones), for a type that works out the
        # change from both (a server's networks).
        self.previous_properties: dict | None = None

    # --- class-level validation hooks (used by properties.validate_properties)

    @classmethod
    def translate_properties(cls, props: dict) -> dict:
        """Rewrite raw properties before validation (e.g. deprecated names)."""
        return props

    @classmethod
    def schema_for(cls, props: dict) -> dict:
        """The schema for these raw properties (a type may depend on one)."""
        return cls.properties_schema

    @classmethod
    def check_properties(cls, resource_name: str, props: dict) -> None:
        """Cross-property checks after schema validation.

        ``props`` are normalized but may hold UNRESOLVED values.

        Raises:
            StackValidationFailed: with the message the user should see.
        """

    @classmethod
    def has_attribute(cls, name: str) -> bool:
        """Whether ``get_attr`` may name this attribute."""
        return name in cls.attributes_schema or name == SHOW_ATTRIBUTE

    def properties_before(self) -> dict:
        """In an in-place update the properties the resource had, else its
        properties."""
        if self.previous_properties is None:
            return self.properties
        return self.previous_properties

    # --- identity ---

    @property
    def resource_id(self) -> str | None:
        return self.context.resource_id

    def physical_resource_name(self) -> str:
        """``<stack_name>-<name>-<short_id>``, stable per resource UUID."""
        return '%s-%s-%s' % (self.context.stack_name.rstrip('*'), self.name,
                             short_id(self.context.resource_uuid))

    def get_reference_id(self) -> str:
        """What ``get_resource`` gives: the physical id, else the name."""
        if self.resource_id is not None:
            return str(self.resource_id)
        return str(self.name)

    def cloud(self):
        """The stack's cloud (cloud_ports.Cloud) for a cloud type's actions.

        Raises:
            CloudUnavailable: the stack has no credentials (noauth mode).
        """
        if self.context.cloud_source is None:
            raise cloud_errors.CloudUnavailable(
                'no cloud is configured for this engine')
        return self.context.cloud_source()

    def stack_users(self):
        """The stack tree's users in the stack user domain
        (cloud_ports.StackUsers), for types that hand a server credentials.

        Raises:
            CloudUnavailable: no stack user domain is configured, or the
                stack has no credentials (noauth mode).
        """
        if self.context.stack_users_source is None:
            raise cloud_errors.CloudUnavailable(
                'no stack user domain is configured for this engine')
        return self.context.stack_users_source()

    def resource_id_set(self, value) -> None:
        self.context.resource_id = None if value is None else str(value)
        self.context.changed()

    def data_set(self, key: str, value) -> None:
        self.context.data[key] = value
        self.context.changed()

    def data_get(self, key: str, default=None):
        return self.context.data.get(key, default)

    def data_delete(self, key: str) -> None:
        if self.context.data.pop(key, None) is not None:
            self.context.changed()

    def __str__(self) -> str:
        """Heat's description: ``TestResource "a" [<id>] Stack "s" [<id>]``."""
        text = '%s "%s"' % (type(self).__name__, self.name)
        if self.resource_id is not None:
            text += ' [%s]' % self.resource_id
        return '%s Stack "%s" [%s]' % (text, self.context.stack_name,
                                       self.context.stack_id)

    # --- actions (driven by runner.run_action) ---

    def handle_create(self) -> Any:
        return None

    def check_create_complete(self, token) -> bool:
        return True

    def resume_create(self) -> Any:
        """The token ``check_create_complete`` waits on when a create
        whose engine died is driven again after the cloud had made the
        thing (``resource_id`` was recorded mid-action): the create waits
        for what exists instead of making it a second time.  Types that
        can do this override it (``resumes_create``); for the others the
        interrupted row is FAILED and replaced, as in Heat."""
        raise NotImplementedError

    @classmethod
    def resumes_create(cls) -> bool:
        """Whether an interrupted create of this type can be resumed."""
        return cls.resume_create is not Resource.resume_create

    def find_unrecorded_create(self) -> str | None:
        """The id of what an interrupted create made although its engine
        died before hearing the id back (the cloud made the thing inside
        the request), found by a mark the create put on it; None when the
        cloud has nothing so marked.  Types whose creates mark what they
        make override it (``finds_unrecorded_creates``); such a create is
        resumed, and the thing found is waited for instead of made again."""
        raise NotImplementedError

    @classmethod
    def finds_unrecorded_creates(cls) -> bool:
        """Whether an interrupted create with no id recorded can look for
        what it made."""
        return (cls.find_unrecorded_create
                is not Resource.find_unrecorded_create)

    def handle_update(self, new_properties: dict, prop_diff: dict) -> Any:
        """Default: a resource that cannot change in place is replaced."""
        if prop_diff:
            raise UpdateReplace(resource_name=self.name)
        return None

    def check_update_complete(self, token) -> bool:
        return True

    def handle_delete(self) -> Any:
        return None

    def check_delete_complete(self, token) -> bool:
        return True

    def handle_adopt(self, resource_data: dict | None) -> Any:
        """Take over an existing resource from its adopt data entry
        (``resource_id``, ``resource_data``), as Heat's default does.

        Raises:
            Exception: the entry names no resource id; the failure reads
                as Heat's ("Exception: resources.<name>: Resource ID was
                not provided.").
        """
        entry = resource_data or {}
        if not entry.get('resource_id'):
            raise Exception('Resource ID was not provided.')
        self.resource_id_set(entry['resource_id'])
        data = entry.get('resource_data')
        for key, value in (data if isinstance(data, dict) else {}).items():
            self.data_set(key, value)
        return None

    # Optional snapshot hooks, as Heat's: handle_snapshot() (with
    # check_snapshot_complete) records what a restore needs in the
    # resource's data; handle_restore(entry) brings a resource that a
    # restore creates anew back from its snapshot entry (instead of
    # handle_create); the class method restored_properties(properties,
    # entry) gives the goal properties a restore converges the resource
    # to, kept or made anew; handle_delete_snapshot(entry) removes what
    # handle_snapshot made; handle_snapshot_delete(token) lets the type
    # honour the "Snapshot" deletion policy.

    def poll_delay(self, token) -> float:
        """Seconds until the next completion check is worth doing."""
        return DEFAULT_POLL_DELAY

    # Optional, as in Heat: prepare_for_replace() is called on the old
    # resource right before its replacement is made (a server detaches the
    # ports its replacement will take); a failure is logged, not raised.

    # Optional cancel hooks, called with the action's token when the action
    # is cancelled or times out: handle_create_cancel(token),
    # handle_update_cancel(token), handle_delete_cancel(token).

    # Optional: handle_signal(details) -> str | None makes the type take
    # resource_signal (engine/signals.py): it may change ``context.data``
    # (stored by compare-and-swap) and returns what the SIGNAL event says
    # ("Signal: <result>").  A type without it refuses signals, as Heat's.

    # Optional, as in Heat: handle_suspend() / check_suspend_complete(token)
    # and handle_resume() / check_resume_complete(token) (without them a
    # suspend or resume only records the state); handle_check() /
    # check_check_complete(token): a type without handle_check is not
    # checked (CHECK_COMPLETE "CHECK not supported for <type>").

    @classmethod
    def supports_check(cls) -> bool:
        """Whether a stack check can check this type's resources."""
        return hasattr(cls, 'handle_check')

    # --- attributes ---

    def get_attribute(self, name: str) -> object:
        """The value of ``get_attr: [<this>, name]``.

        Raises:
            InvalidTemplateAttribute: the type has no such attribute.
        """
        if not self.has_attribute(name):
            raise InvalidTemplateAttribute(resource=self.name, key=name)
        if name == SHOW_ATTRIBUTE:
            return None
        return self._resolve_attribute(name)

    def _resolve_attribute(self, name: str) -> object:
        return None

    # --- update or replace ---

    def needs_replace_with_prop_diff(self, changed: set[str], after: dict,
                                     before: dict) -> bool:
        """Plugin hook: True if these changes need a new physical resource."""
        return False

    def needs_replace_failed(self) -> bool:
        """Whether a resource left FAILED is replaced on the next update."""
        return True

    # Whether a resource left CHECK_FAILED (by a stack check, or marked
    # unhealthy) is replaced on the next update, as in Heat.
    always_replace_on_check_failed: bool = True

    def plan_update(self, new_properties: dict, *,
                    failed: bool = False) -> UpdatePlan:
        """Decide between no change, an in-place update and a replacement.

        ``self.properties`` are the current (old) ones; ``failed`` says the
        resource is in a FAILED state.  Heat's order: a failed resource is
        replaced; no difference is no change; a change to an immutable
        property is refused; the plugin hook may ask for replacement; a change
        to a property that is not update_allowed means replacement; otherwise
        the update is in place.

        Raises:
            ResourceFailure: an immutable property changed
                (``NotSupported: resources.<n>: Update to properties ...``).
        """
        if failed and self.needs_replace_failed():
            return self._replace({}, str(self))
        diff = diff_properties(self.properties, new_properties)
        if not diff:
            return UpdatePlan(NO_CHANGE, {})
        self._refuse_immutable_changes(set(diff))
        if self.needs_replace_with_prop_diff(set(diff), new_properties,
                                             self.properties):
            return self._replace(diff, str(self))
        if not set(diff) <= self._update_allowed():
            return self._replace(diff, self.name)
        return UpdatePlan(IN_PLACE, diff)

    def _replace(self, diff: dict, who: str) -> UpdatePlan:
        reason = UpdateReplace(resource_name=who).message
        return UpdatePlan(REPLACE, diff, reason)

    def _update_allowed(self) -> set[str]:
        schema = self.properties_schema or {}
        return {k for k, s in schema.items() if s.update_allowed}

    def _refuse_immutable_changes(self, changed: set[str]) -> None:
        schema = self.properties_schema or {}
        forbidden = sorted(k for k in changed
                           if k in schema and schema[k].immutable)
        if forbidden:
            feature = 'Update to properties %s of %s (%s)' % (
                ', '.join(forbidden), self.name,
                self.context.resource_type or type(self).__name__)
            raise resource_failure(self.name, 'NotSupported',
                                   '%s is not supported.' % feature)

    def check_update_restrictions(self, restricted_actions, decision: str):
        """Refuse a planned update or replacement the environment forbids.

        ``restricted_actions`` come from the environment's
        ``resource_registry.resources.<name>.restricted_actions``.

        Raises:
            ResourceFailure: reason ``update is restricted for resource.`` or
                ``replace is restricted for resource.`` (its kwargs['reason']
                is the event text).
        """
        action = {IN_PLACE: 'update', REPLACE: 'replace'}.get(decision)
        if action is not None and action in set(restricted_actions or ()):
            raise resource_failure(self.name, 'ResourceActionRestricted',
                                   '%s is restricted for resource.' % action)
