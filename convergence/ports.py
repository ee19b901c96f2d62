"""The ports the engine works through, and what each method promises.

The traversal code reaches storage, the event log and parsed templates only
through a ``Runtime`` (convergence/runtime.py) whose ``db`` is typed by
these protocols (``events`` and ``definitions`` by
convergence/traversal_ports.py, the clouds by convergence/cloud_ports.py).
Production gives it ``db.api.Database`` (on SQLite, MariaDB or
PostgreSQL); the contract suite (convergence/tests/unit/db/) checks
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
from typing import Iterable, Protocol

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
                  values: dict, not_failing: bool = False,
                  expected_status: str | None = None) -> bool:
        """Write ``values`` iff the live stack still runs ``expected_traversal``
        (and, with ``not_failing``, has no ``failure_reason`` yet; with
        ``expected_status``, is still in that status: the traversal's
        verdict keeps its id).

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
