"""The ports the engine works through, and what each method promises.

The traversal code reaches storage, the event log and parsed templates only
through a ``Runtime`` (convergence/runtime.py) whose ``db``, ``events`` and
``definitions`` are typed by these protocols.  Production gives it
``db.api.Database`` (on SQLite, MariaDB or PostgreSQL),
``convergence.events.EventLog`` and ``convergence.definitions.
DefinitionCache``; the contract suite (convergence/tests/unit/db/) checks
every backend against the storage ports, method by method.

Rules every storage method keeps, stated once here:

- Rows are plain dicts (column name -> value), never live objects; a
  missing row reads as None.  Stack rows come without their graph
  (``current_deps``) unless a method says otherwise.
- A write that races is a compare-and-swap: it returns True (or a result)
  only to the caller whose expectation held when it wrote, and False (or
  None) when another writer changed the row first, the row is gone, or the
  stack no longer runs the expected traversal.  A lost swap wrote nothing;
  the caller re-reads or gives the work up, it never retries blindly.
- Every call survives a deadlock or a lost connection by running again.  A
  COMMIT cut off by a lost connection may have landed; the call then
  recognises its own earlier write and answers as if the first attempt had
  been acknowledged (each method says by what), so calling once has one
  effect.  What remains: another writer may change the row between the lost
  COMMIT and the retry, and the call then reports a loss it did not suffer.
"""

import datetime
from typing import TYPE_CHECKING, Callable, Iterable, Protocol

if TYPE_CHECKING:
    from convergence import template as tmpl

# A report to a join: (entity_id, is_update, data); the entity is the
# successor node's resource id as a string, or the stack id for the stack's
# own join.
Report = tuple[str, bool, object]
# A join of a traversal: (entity_id, is_update).
JoinKey = tuple[str, bool]


class Templates(Protocol):
    """Raw templates: the stored template, environment and files of an
    operation.  Stored templates never change."""

    def raw_template_create(self, stack_id: str, template: dict,
                            environment: dict | None,
                            files: dict | None,
                            facade: dict | None = None,
                            snapshot_id: str | None = None) -> int:
        """Store a template of ``stack_id``; returns its new id.

        ``facade``: a child stack's view of its parent resource (what
        ``resource_facade`` reads: metadata, deletion_policy,
        update_policy).  ``snapshot_id``: a restore's goal, the snapshot
        whose resource data its nodes bring back.

        Ids grow: a later template has a larger id.  After a lost COMMIT
        the template may be stored twice; raw_templates_delete_unused
        removes the copy nobody points at.
        """

    def raw_template_get(self, template_id: int) -> dict | None:
        """{'id', 'template', 'environment', 'files', 'facade',
        'snapshot_id'}, environment and files {} when stored empty, facade
        None outside a child stack, snapshot_id None but for a restore's
        goal; None if there is no such template."""

    def raw_templates_delete_unused(self, stack_id: str) -> list[int]:
        """Delete the stack's templates that neither the stack (goal or
        rollback target) nor any of its rows points at; returns their ids.

        Templates newer than the stack's goal are kept: an operation stores
        its template before it swaps it in.  Idempotent.
        """


class Stacks(Protocol):
    """Stack rows: the operation, the traversal that carries it out, and
    its verdict."""

    def stack_create(self, values: dict) -> dict:
        """Insert a stack row; ``values['id']`` is the caller's new uuid.
        Returns the row as ``stack_get`` would read it.

        ``created_at`` defaults to now.  Raises DBDuplicateEntry if the id
        exists, unless that row is this call's own after a lost COMMIT.
        """

    def stack_get(self, stack_id: str, show_deleted: bool = True) -> dict | None:
        """The stack row, or None; a soft-deleted one only if ``show_deleted``."""

    def stack_get_by_name(self, tenant: str, name: str) -> dict | None:
        """The tenant's live (not deleted) stack of exactly that name, or None."""

    def stack_list(self, tenant: str | None, show_deleted: bool = False,
                   filters: dict | None = None) -> list[dict]:
        """The tenant's stacks (every tenant's when None), newest first.

        ``filters`` maps a column to a value or a list of accepted values;
        None accepts NULL (``{'owner_id': None}``: the stacks no stack
        owns, ``{'root_stack_id': id}``: the nested stacks of a tree).
        """

    def stack_deps(self, stack_id: str) -> dict | None:
        """The stored graph of the stack's current traversal (``current_deps``),
        or None when there is none or no such stack."""

    def stack_cas(self, stack_id: str, expected_traversal: str,
                  values: dict, not_failing: bool = False) -> bool:
        """Write ``values`` iff the live stack still runs ``expected_traversal``
        (and, with ``not_failing``, has no ``failure_reason`` yet).

        True if written, even when ``values`` change nothing.  False: the
        traversal was superseded, the stack deleted or missing, or (with
        ``not_failing``) a failure recorded; nothing was written.  After a
        lost COMMIT, the row holding all of ``values`` counts as this call's
        win: a new traversal id only its writer writes, and other values
        written alike by another engine have the same effect.
        """

    def traversal_finish(self, stack_id: str, traversal_id: str,
                         values: dict) -> list[int] | None:
        """A traversal's verdict, ``values`` written as ``stack_cas`` with
        ``not_failing`` writes them, and in the same transaction what the
        traversal leaves behind deleted: the stack's DELETE COMPLETE rows,
        the traversal's joins and the templates nothing uses any more (as
        ``resources_purge_deleted``, ``sync_points_delete`` and
        ``raw_templates_delete_unused``, whose ids it returns).  A stack at
        a verdict written so has no joins left of that traversal.

        None: the swap lost and nothing was written.  After a lost COMMIT,
        the row holding all of ``values`` counts as this call's win (the
        ids it deleted are then unknown: []).
        """


class Resources(Protocol):
    """Resource rows, and the row lock a node holds while it acts."""

    def resources_of_stack(self, stack_id: str, active_only: bool = True,
                           names: Iterable[str] | None = None) -> list[dict]:
        """The stack's rows, in no particular order.

        ``active_only`` leaves out rows deleted (DELETE COMPLETE) but not yet
        purged; ``names``, if given, keeps only rows of those names.
        """

    def resources_with_physical_id(self, physical_id: str) -> list[dict]:
        """Every row, of any stack, whose physical resource id is
        ``physical_id`` and that is not deleted."""

    def resources_of_stacks(self, stack_ids: Iterable[str],
                            active_only: bool = True) -> list[dict]:
        """The rows of all of the stacks (a tree of them), in id order;
        ``active_only`` as for ``resources_of_stack``."""

    def resources_create(self, rows: list[dict]) -> list[int]:
        """Insert rows; returns their new ids in the order of ``rows``.

        Fills in (on the dicts given) a new ``uuid``, ``created_at`` and
        ``atomic_key`` 0 where missing.  After a lost COMMIT, the rows found
        by their uuids are this call's: inserted once, not twice.
        """

    def resource_get(self, resource_id: int) -> dict | None:
        """The row, or None."""

    def resource_and_stack(self, resource_id: int) -> tuple[dict, dict] | None:
        """(the row, its stack's row) read together, or None if no such row."""

    def resource_cas(self, resource_id: int, expected: dict,
                     values: dict) -> bool:
        """Write ``values`` iff the row still has every ``expected`` value
        (None expects NULL; JSON columns compare by value).

        ``updated_at`` is stamped now unless in ``values``.  True if
        written, even when nothing changes; False if any expectation failed
        or the row is gone, and nothing was written.  After a lost COMMIT,
        the row holding all of ``values`` counts as this call's win: lock
        holders write a new ``atomic_key``, which only the winner writes.
        """

    def resource_delete(self, resource_id: int) -> None:
        """Delete the row; idempotent (nothing if it is gone already)."""

    def resources_purge_deleted(self, stack_id: str) -> None:
        """Delete the stack's DELETE COMPLETE rows.  Idempotent."""

    def resources_locked_count(self, stack_id: str,
                               by_workers: bool = False) -> int:
        """How many of the stack's rows are locked (have an ``engine_id``);
        with ``by_workers``, only those a worker holds (not ``awaiting`` a
        child stack)."""

    def resources_progress(self, stack_ids: Iterable[str]) -> dict[str, int]:
        """``{'done', 'in_flight', 'waiting'}`` counts of the live rows of
        the stacks (a tree of them).

        In flight: locked or IN_PROGRESS.  Done: otherwise at its own
        stack's goal template (``raw_template_id``) and past INIT.
        Waiting: the rest.
        """

    def resource_lock(self, row: dict, engine_id: str, traversal_id: str,
                      values: dict) -> bool:
        """Take the row lock for ``engine_id``, writing ``values`` with it.

        Wins (True) only if the row is unlocked and its ``atomic_key`` is
        still that of ``row`` (unchanged since read), and its stack is live,
        still runs ``traversal_id`` and is not failing: nothing starts work
        for a superseded or failing traversal.  The lock is ``engine_id``
        and the next ``atomic_key``.  False: nothing written.  After a lost
        COMMIT, the row held by ``engine_id`` at the next ``atomic_key``
        counts as this call's win.
        """

    def resource_create_replacement(self, old_id: int, old_atomic_key: int,
                                    engine_id: str, row: dict) -> int | None:
        """Insert ``row`` as the replacement of row ``old_id``, and link both
        (``replaces``, ``replaced_by``); returns the new row's id.

        Only while ``engine_id`` holds the old row at ``old_atomic_key``;
        otherwise None and nothing is written.  After a lost COMMIT, the
        new row found by its uuid is this call's: it did both.
        """

    def resource_stamp_reporting(self, row: dict, traversal_id: str,
                                 values: dict, stack_id: str, sender: str,
                                 reports: list[Report]) -> dict | None:
        """resource_lock and resource_release_reporting at once, both or
        neither, for a node that writes its row without acting on it.

        Writes ``values`` (the columns a release would leave, the row
        unlocked at a new ``atomic_key``) only where ``resource_lock`` would
        win, and records the reports; returns the joins completed.  None
        when nothing was written: the row is locked or changed, the
        traversal no longer runs, or some report needs a transaction of its
        own; the caller then locks and releases the long way.  After a lost
        COMMIT, the row holding ``values`` proves both were written.
        """

    def resource_release_reporting(self, resource_id: int, expected: dict,
                                   values: dict, stack_id: str,
                                   traversal_id: str, sender: str,
                                   reports: list[Report]) -> dict | None:
        """resource_cas and Joins.sync_points_report, both or neither.

        What a finished node writes: its row released, its reports to its
        successors' joins (or to the stack's) recorded.  Returns the joins
        completed, as sync_points_report does ({} with no reports).  None
        when nothing was written: the swap lost, or some report needs a
        transaction of its own (a duplicate, a superseded join); the caller
        then releases and reports the long way.  After a lost COMMIT, the row
        holding ``values`` proves both were written, and the completions
        this sender made are returned.
        """


class Joins(Protocol):
    """Sync points: the joins of a traversal's graph, where the reports of
    a node's predecessors meet.  Exactly one reporter completes a join."""

    def sync_points_create(self, stack_id: str, traversal_id: str,
                           points: list[tuple[str, bool, int]]) -> None:
        """Create the traversal's joins: (entity_id, is_update, in-degree).

        All or none.  Raises DBDuplicateEntry if one exists, unless they
        are this call's own after a lost COMMIT.
        """

    def sync_points_report(self, stack_id: str, traversal_id: str,
                           sender: str, reports: list[Report]
                           ) -> dict[JoinKey, dict]:
        """Record one predecessor's reports to one or several joins at once.

        Returns {(entity_id, is_update): {sender: data}} for the joins this
        call completed: a join's reports go to exactly one caller, the one
        whose report completes it.  A duplicate report does not count, and
        a report to a join that does not exist (its traversal was
        superseded) completes nothing.  Raises ValueError if two reports go
        to one join.  After a lost COMMIT, the joins this sender's committed
        reports completed are returned, as if acknowledged.
        """

    def traversal_store(self, stack_id: str, traversal_id: str, deps: dict,
                        points: list[tuple[str, bool, int]],
                        superseded: str | None = None) -> bool:
        """In one transaction: drop the joins of the ``superseded``
        traversal (as ``sync_points_delete``, whatever happens next); store
        a starting traversal's graph as ``current_deps`` iff the live stack
        still runs ``traversal_id`` (as ``stack_cas``) and then create its
        joins (as ``sync_points_create``).  False, with neither graph nor
        joins written, when the traversal was superseded.  After a lost
        COMMIT, the graph found stored counts as this call's win.
        """

    def sync_points_waiting(self) -> int:
        """How many joins, of every traversal, have had some but not all of
        their reports (for monitoring)."""

    def sync_points_delete(self, stack_id: str,
                           traversal_id: str | None = None) -> None:
        """Drop a traversal's joins and their reports (every traversal's of
        the stack when None).  Idempotent."""


class Events(Protocol):
    """The stored event log: one row per state change of a resource or a
    stack."""

    def events_add(self, rows: list[dict],
                   trim: tuple[str, int] | None = None) -> None:
        """Insert events, all or none; each has a ``uuid`` the caller chose.
        With ``trim`` (stack id, keep), ``events_trim`` of that stack
        follows in the same transaction.

        After a lost COMMIT, events found by their uuids are this call's:
        stored once, not twice.
        """

    def events_list(self, stack_id: str, resource_name: str | None = None,
                    filters: dict | None = None) -> list[dict]:
        """The stack's events (of ``resource_name`` if given) in the order
        they happened (``created_at``, then id), whenever written.

        ``filters`` maps a column to a value or a list of accepted values.
        """

    def events_of_stacks(self, stack_ids: list[str],
                         filters: dict | None = None) -> list[dict]:
        """The events of all of the stacks (a tree of them), interleaved in
        the order they happened; ``filters`` as for ``events_list``."""

    def events_trim(self, stack_id: str, keep: int) -> None:
        """Delete all but the ``keep`` most recent of the stack's events.
        Idempotent."""


class Services(Protocol):
    """Liveness: the engines' heartbeats, and the reads by which recovery
    tells work in flight from work a gone engine abandoned."""

    def service_report(self, engine_id: str, values: dict) -> None:
        """Refresh the engine's heartbeat (``updated_at``), creating its row
        with ``values`` on the first report.  Idempotent."""

    def service_list(self) -> list[dict]:
        """Every engine's live heartbeat row, oldest first."""

    def service_delete(self, engine_id: str) -> None:
        """Remove the engine's row: it stopped cleanly, so it is gone at once.
        Idempotent."""

    def resources_locked(self) -> list[dict]:
        """Every locked row of every stack, with at least its id, stack_id,
        name, type, engine_id, atomic_key, action, status, pending_trigger
        and updated_at."""

    def stacks_running(self) -> list[dict]:
        """Live stacks IN_PROGRESS with a current traversal."""

    def stack_activity(self, stack_id: str) -> tuple[
            datetime.datetime | None, int]:
        """(the latest ``updated_at`` of the stack's rows or None, how many
        of them are locked)."""


class Snapshots(Protocol):
    """Snapshots of stacks: the snapshot row (its id is the SNAPSHOT
    traversal's) and one entry per resource its nodes recorded."""

    def snapshot_create(self, values: dict) -> None:
        """Insert a snapshot row (id, stack_id, tenant, name, action,
        status, status_reason, data).  Idempotent for the caller's id."""

    def snapshot_get(self, snapshot_id: str) -> dict | None:
        """The snapshot row, or None."""

    def snapshots_of_stack(self, stack_id: str) -> list[dict]:
        """The stack's snapshot rows, oldest first."""

    def snapshot_update(self, snapshot_id: str, values: dict,
                        expected: dict | None = None) -> bool:
        """Write ``values`` iff the row holds ``expected``; False if it is
        gone or changed."""

    def snapshot_delete(self, snapshot_id: str) -> None:
        """Remove the snapshot and its entries.  Idempotent."""

    def resource_snapshot_put(self, snapshot_id: str, resource_name: str,
                              data: dict) -> None:
        """Record one resource's entry, replacing an earlier one.
        Idempotent."""

    def resource_snapshots(self, snapshot_id: str) -> dict[str, dict]:
        """Resource name -> its recorded entry."""


class SoftwareConfigs(Protocol):
    """Software configs and their deployments (Heat's columns); a row is a
    dict of every column; a listing is one tenant's."""

    def software_config_create(self, values: dict) -> None:
        """Insert a config (id, name, group, config, tenant)."""

    def software_config_get(self, config_id: str) -> dict | None:
        """The config row, or None."""

    def software_configs(self, tenant: str, limit: int | None = None,
                         marker: str | None = None) -> list[dict]:
        """Newest first, after the config ``marker`` names."""

    def software_config_delete(self, config_id: str) -> bool:
        """Remove it; False (nothing changed) while a deployment refers
        to it."""

    def software_deployment_create(self, values: dict) -> bool:
        """Insert a deployment; False (nothing written) if its config is
        gone."""

    def software_deployment_get(self, deployment_id: str) -> dict | None:
        """The deployment row, or None."""

    def software_deployments(self, tenant: str,
                             server_id: str | None = None) -> list[dict]:
        """Oldest first; the tenant's own and those of its stack user
        project."""

    def software_deployment_update(self, deployment_id: str,
                                   values: dict) -> bool:
        """Write the values; False if the deployment or a new config_id's
        config is gone."""

    def software_deployment_delete(self, deployment_id: str) -> None:
        """Remove it.  Idempotent."""

    def agent_url_create(self, values: dict) -> None:
        """Insert an engine-served URL's row (token_hash, kind, target,
        action, tenant)."""

    def agent_url_get(self, token_hash: str) -> dict | None:
        """The URL's row by its token's hash, or None."""

    def agent_urls(self, target: str) -> list[dict]:
        """The URLs bound to a server or deployment id."""

    def agent_urls_delete(self, target: str,
                          token_hash: str | None = None) -> None:
        """Remove the target's URLs (only that one, with ``token_hash``).
        Idempotent."""


class UserCreds(Protocol):
    """Heat's user_creds: the trust a stack tree's deferred operations act
    with (id, trust_id, trustor_user_id, tenant, region_name,
    stack_user_project_id)."""

    def user_creds_create(self, values: dict) -> None:
        """Insert a row; its id is the caller's uuid."""

    def user_creds_get(self, creds_id: str) -> dict | None:
        """The row, or None."""

    def user_creds_sharing_trust(self, trust_id: str, creds_id: str) -> bool:
        """Whether a row other than ``creds_id`` names ``trust_id`` (a
        stack made with a token of that trust: OS::Heat::Stack's)."""

    def user_creds_set_project(self, creds_id: str, project_id: str) -> str:
        """Record the tree's stack user domain project unless one is
        recorded already (compare-and-swap); the project recorded now (the
        loser of a race gets the winner's), None when the row is gone."""

    def user_creds_tree_project_of(self, tenant: str,
                                   project_id: str) -> bool:
        """Whether a stack tree of ``tenant`` has ``project_id`` as its
        stack user domain project."""

    def user_creds_delete(self, creds_id: str) -> None:
        """Remove it.  Idempotent."""


class Database(Templates, Stacks, Resources, Joins, Events, Services,
               Snapshots, SoftwareConfigs, UserCreds, Protocol):
    """Every storage port: what ``Runtime.db`` is."""


class EventSink(Protocol):
    """Where a traversal records what happened, for users to list."""

    def resource_event(self, stack_id: str, row: dict, action: str,
                       status: str, reason: str | None,
                       properties: dict | None = None) -> None:
        """Record that resource ``row`` reached ``action`` ``status``; it
        may be written later, in a batch, but in its place by time."""

    def stack_event(self, stack: dict, action: str, status: str,
                    reason: str) -> None:
        """Record the stack's state, written at once and after every
        resource event recorded before it (clients stop waiting on it)."""

    def flush(self) -> None:
        """Write every resource event recorded so far."""

    def start(self, spawn: Callable) -> None:
        """Begin writing in the background (with ``spawn``), if buffered."""


class DefinitionSource(Protocol):
    """Parsed stack definitions by stored template id."""

    def get(self, template_id: int,
            stack: dict) -> 'tmpl.StackDefinition':
        """The definition of template ``template_id`` for ``stack``; the same
        on every engine for the same stored template."""

    def remember(self, template_id: int,
                 definition: 'tmpl.StackDefinition',
                 stored: dict) -> None:
        """Offer the definition a request was validated with, stored as
        ``template_id`` from ``stored``; kept only if ``get`` would build
        the same from the stored copy."""

    def forget(self, template_ids: Iterable[int]) -> None:
        """Drop the definitions of deleted templates."""


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


class ComputeAPI(Protocol):
    """Nova's resources as plain dicts (Nova's field names), by ``kind``:
    ``server``, ``flavor``, ``keypair`` (its id is its name),
    ``server_group``.  Errors as NetworkAPI's."""

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

    def set_metadata(self, server_id: str, metadata: dict) -> dict:
        """Replace a server's metadata."""

    def set_extra_specs(self, flavor_id: str, specs: dict) -> None:
        """Make a flavor's extra specs exactly ``specs``."""

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
