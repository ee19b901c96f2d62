"""SQLAlchemy models: one class per table, columns say what a row means.

See docs/architecture.md for how the traversal uses them.  JSON columns are
text (LONGTEXT on MySQL) holding JSON.
"""

import json

import sqlalchemy as sa
from sqlalchemy.dialects import mysql
from sqlalchemy.orm import declarative_base

Base = declarative_base()

# Microsecond timestamps everywhere: event order and stack timeouts need them.
DateTime = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), 'mysql', 'mariadb')
LongText = sa.Text().with_variant(mysql.LONGTEXT(), 'mysql', 'mariadb')
# Binary collation on MySQL, so string equality (stack names, the JSON a
# compare-and-swap expects) is exact and case-sensitive as on the others.
TABLE_OPTIONS = {'mysql_engine': 'InnoDB', 'mysql_charset': 'utf8mb4',
                 'mysql_collate': 'utf8mb4_bin'}


class Json(sa.types.TypeDecorator):
    """A JSON document stored as text, so every backend stores it alike."""

    impl = LongText
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else json.dumps(value, sort_keys=True)

    def process_result_value(self, value, dialect):
        return None if value is None else json.loads(value)


class RawTemplate(Base):
    """One submitted template with its environment and files; immutable."""

    __tablename__ = 'raw_template'
    __table_args__ = TABLE_OPTIONS
    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    stack_id = sa.Column(sa.String(36), index=True)
    template = sa.Column(Json, nullable=False)
    environment = sa.Column(Json)
    files = sa.Column(Json)
    # A child stack's: what resource_facade reads of its parent resource.
    facade = sa.Column(Json)
    # A restore's goal: the snapshot whose resource data its nodes restore.
    snapshot_id = sa.Column(sa.String(36))
    created_at = sa.Column(DateTime, nullable=False)


class Stack(Base):
    """A stack; every convergence write is a CAS on ``current_traversal``."""

    __tablename__ = 'stack'
    id = sa.Column(sa.String(36), primary_key=True)
    name = sa.Column(sa.String(255), nullable=False)
    tenant = sa.Column(sa.String(64), nullable=False)
    username = sa.Column(sa.String(255))
    raw_template_id = sa.Column(sa.Integer, sa.ForeignKey('raw_template.id'),
                                nullable=False)
    # The template of the last operation that completed successfully, kept
    # while the goal template has not completed: the rollback target.
    prev_raw_template_id = sa.Column(sa.Integer,
                                     sa.ForeignKey('raw_template.id'))
    current_traversal = sa.Column(sa.String(36), nullable=False)
    current_deps = sa.Column(Json)
    action = sa.Column(sa.String(16), nullable=False)
    status = sa.Column(sa.String(16), nullable=False)
    status_reason = sa.Column(sa.Text)
    # Set while a failing traversal waits for its in-flight work to finish.
    failure_reason = sa.Column(sa.Text)
    rollback_on_failure = sa.Column(sa.Boolean, nullable=False, default=False)
    timeout = sa.Column(sa.Integer)
    disable_rollback = sa.Column(sa.Boolean, nullable=False, default=True)
    tags = sa.Column(Json)
    # A nested stack: the stack and the resource row that own it, the root
    # of its tree and how deep in it the stack sits (0 for a root).
    owner_id = sa.Column(sa.String(36), index=True)
    owner_resource_id = sa.Column(sa.Integer)
    parent_resource = sa.Column(sa.String(255))
    root_stack_id = sa.Column(sa.String(36), index=True)
    nested_depth = sa.Column(sa.Integer, nullable=False, default=0,
                             server_default='0')
    # The credentials deferred operations act with (user_creds.id): the
    # root's, for every stack of a tree; None in noauth mode.
    user_creds_id = sa.Column(sa.String(36))
    created_at = sa.Column(DateTime, nullable=False)
    updated_at = sa.Column(DateTime)
    deleted_at = sa.Column(DateTime)
    __table_args__ = (sa.Index('ix_stack_tenant_name', 'tenant', 'name'),
                      TABLE_OPTIONS)


class Resource(Base):
    """One version of a logical resource; a replacement is a new row.

    ``engine_id`` + ``atomic_key`` are the row lock: acquire is
    ``UPDATE ... SET engine_id=me, atomic_key=k+1 WHERE engine_id IS NULL AND
    atomic_key=k``.  ``pending_trigger`` holds a check_resource message that
    arrived while the row was locked; the holder re-sends it on release.
    """

    __tablename__ = 'resource'
    __table_args__ = TABLE_OPTIONS
    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    uuid = sa.Column(sa.String(36), nullable=False, unique=True)
    name = sa.Column(sa.String(255), nullable=False)
    stack_id = sa.Column(sa.String(36), sa.ForeignKey('stack.id'),
                         nullable=False, index=True)
    # The implementation type (after the environment's aliases) decides what
    # runs; the type as the template declares it is what users see.
    type = sa.Column(sa.String(255), nullable=False)
    declared_type = sa.Column(sa.String(255))
    current_template_id = sa.Column(sa.Integer)
    requires = sa.Column(Json)
    replaces = sa.Column(sa.Integer)
    replaced_by = sa.Column(sa.Integer)
    physical_resource_id = sa.Column(sa.String(255))
    properties_data = sa.Column(Json)
    attr_data = sa.Column(Json)
    rsrc_data = sa.Column(Json)
    action = sa.Column(sa.String(16), nullable=False)
    status = sa.Column(sa.String(16), nullable=False)
    status_reason = sa.Column(sa.Text)
    engine_id = sa.Column(sa.String(36))
    atomic_key = sa.Column(sa.Integer, nullable=False, default=0)
    pending_trigger = sa.Column(Json)
    # Set while the row's lock is held for a child stack's operation, not by
    # a worker: {stack_id, traversal_id, is_update, action, final}.  The
    # child's verdict resumes the node (convergence/nested/); a newer
    # traversal's trigger may take the lock over at once.
    awaiting = sa.Column(Json)
    # A first row of an adopted stack: the resource's entry in the adopt
    # data (a nested stack resource's holds its child's), kept so that an
    # interrupted ADOPT can be repeated.
    adopt_data = sa.Column(Json)
    created_at = sa.Column(DateTime, nullable=False)
    updated_at = sa.Column(DateTime)


class SyncPoint(Base):
    """A join in a traversal's graph: how many predecessors have yet to report."""

    __tablename__ = 'sync_point'
    entity_id = sa.Column(sa.String(64), primary_key=True)
    traversal_id = sa.Column(sa.String(36), primary_key=True)
    is_update = sa.Column(sa.Boolean, primary_key=True)
    stack_id = sa.Column(sa.String(36), nullable=False)
    pending = sa.Column(sa.Integer, nullable=False)
    # The sender whose report took ``pending`` to zero: after a lost
    # connection, how that sender tells its own completion from another's.
    completed_by = sa.Column(sa.String(64))
    __table_args__ = (sa.Index('ix_sync_point_stack_traversal',
                               'stack_id', 'traversal_id'), TABLE_OPTIONS)


class SyncPointInput(Base):
    """One predecessor's report to a sync point, with the data it carries.

    One row per report keeps a join O(in-degree) in bytes and lets the
    primary key drop duplicate reports.
    """

    __tablename__ = 'sync_point_input'
    entity_id = sa.Column(sa.String(64), primary_key=True)
    traversal_id = sa.Column(sa.String(36), primary_key=True)
    is_update = sa.Column(sa.Boolean, primary_key=True)
    sender = sa.Column(sa.String(64), primary_key=True)
    stack_id = sa.Column(sa.String(36), nullable=False)
    data = sa.Column(Json)
    __table_args__ = (sa.Index('ix_sync_point_input_stack_traversal',
                               'stack_id', 'traversal_id'), TABLE_OPTIONS)


class Event(Base):
    """A state change of a resource or of the stack itself."""

    __tablename__ = 'event'
    __table_args__ = TABLE_OPTIONS
    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    uuid = sa.Column(sa.String(36), nullable=False, unique=True)
    stack_id = sa.Column(sa.String(36), nullable=False, index=True)
    resource_name = sa.Column(sa.String(255))
    physical_resource_id = sa.Column(sa.String(255))
    resource_type = sa.Column(sa.String(255))
    resource_action = sa.Column(sa.String(16))
    resource_status = sa.Column(sa.String(16))
    resource_status_reason = sa.Column(sa.Text)
    resource_properties = sa.Column(Json)
    created_at = sa.Column(DateTime, nullable=False)


class Snapshot(Base):
    """A snapshot of a stack; its id is the SNAPSHOT traversal's id.

    ``action`` is CREATE while it is taken, DELETE while it is deleted;
    ``data`` is the stack as abandon shows it, with each resource's entry
    once the snapshot is complete.
    """

    __tablename__ = 'snapshot'
    __table_args__ = TABLE_OPTIONS
    id = sa.Column(sa.String(36), primary_key=True)
    stack_id = sa.Column(sa.String(36), nullable=False, index=True)
    tenant = sa.Column(sa.String(64), nullable=False)
    name = sa.Column(sa.String(255))
    action = sa.Column(sa.String(16), nullable=False)
    status = sa.Column(sa.String(16), nullable=False)
    status_reason = sa.Column(sa.Text)
    data = sa.Column(Json)
    created_at = sa.Column(DateTime, nullable=False)
    updated_at = sa.Column(DateTime)


class ResourceSnapshot(Base):
    """What one resource's node of a SNAPSHOT traversal recorded.

    One row per (snapshot, resource name), so concurrent nodes never write
    the same document and a repeated node overwrites its own entry.
    """

    __tablename__ = 'resource_snapshot'
    __table_args__ = TABLE_OPTIONS
    snapshot_id = sa.Column(sa.String(36), primary_key=True)
    resource_name = sa.Column(sa.String(255), primary_key=True)
    data = sa.Column(Json)
    created_at = sa.Column(DateTime, nullable=False)


class UserCreds(Base):
    """Heat's user_creds: the Keystone trust a stack's creator delegated to
    the engine's service user (the trustee), so that nodes, timeouts,
    recovery and signals act for the creator without the creator's token.
    """

    __tablename__ = 'user_creds'
    __table_args__ = TABLE_OPTIONS
    id = sa.Column(sa.String(36), primary_key=True)
    trust_id = sa.Column(sa.String(255))
    trustor_user_id = sa.Column(sa.String(64))
    tenant = sa.Column(sa.String(64), nullable=False)
    # The region the stack's clients use (the request's X-Region-Name, else
    # region_name_for_services).
    region_name = sa.Column(sa.String(255))
    # The tree's project in the stack user domain (Heat's
    # stack_user_project_id), made when first needed; None until then.
    stack_user_project_id = sa.Column(sa.String(64))
    created_at = sa.Column(DateTime, nullable=False)


class SoftwareConfig(Base):
    """A software config as heat-engine keeps it: ``config`` holds its
    inputs, outputs, options and the config proper; immutable once made."""

    __tablename__ = 'software_config'
    __table_args__ = TABLE_OPTIONS
    id = sa.Column(sa.String(36), primary_key=True)
    name = sa.Column(sa.String(255))
    group = sa.Column(sa.String(255))
    config = sa.Column(Json)
    tenant = sa.Column(sa.String(64), nullable=False, index=True)
    created_at = sa.Column(DateTime, nullable=False)
    updated_at = sa.Column(DateTime)


class SoftwareDeployment(Base):
    """One config to be applied to one server, and what applying it gave."""

    __tablename__ = 'software_deployment'
    __table_args__ = TABLE_OPTIONS
    id = sa.Column(sa.String(36), primary_key=True)
    config_id = sa.Column(sa.String(36), sa.ForeignKey('software_config.id'),
                          nullable=False, index=True)
    server_id = sa.Column(sa.String(36), nullable=False, index=True)
    input_values = sa.Column(Json)
    output_values = sa.Column(Json)
    action = sa.Column(sa.String(255))
    status = sa.Column(sa.String(255))
    status_reason = sa.Column(sa.Text)
    tenant = sa.Column(sa.String(64), nullable=False, index=True)
    # The project of the stack's domain user, which may also read it.
    stack_user_project_id = sa.Column(sa.String(64))
    created_at = sa.Column(DateTime, nullable=False, index=True)
    updated_at = sa.Column(DateTime)


class AgentUrl(Base):
    """One engine-served URL of a server's agent: a server's metadata or a
    deployment action's signal.  Only the token's SHA-256 is kept."""

    __tablename__ = 'agent_url'
    __table_args__ = TABLE_OPTIONS
    token_hash = sa.Column(sa.String(64), primary_key=True)
    # 'metadata' (target: a server id) or 'signal' (a deployment id).
    kind = sa.Column(sa.String(16), nullable=False)
    target = sa.Column(sa.String(36), nullable=False, index=True)
    # The deployment action a signal URL is for.
    action = sa.Column(sa.String(16))
    tenant = sa.Column(sa.String(64), nullable=False)
    created_at = sa.Column(DateTime, nullable=False)


class Service(Base):
    """One engine process and its heartbeat."""

    __tablename__ = 'service'
    __table_args__ = TABLE_OPTIONS
    id = sa.Column(sa.String(36), primary_key=True)
    engine_id = sa.Column(sa.String(36), nullable=False, unique=True)
    host = sa.Column(sa.String(255))
    hostname = sa.Column(sa.String(255))
    binary = sa.Column(sa.String(255))
    topic = sa.Column(sa.String(255))
    report_interval = sa.Column(sa.Integer)
    created_at = sa.Column(DateTime, nullable=False)
    updated_at = sa.Column(DateTime)
    deleted_at = sa.Column(DateTime)
