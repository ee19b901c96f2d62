"""Clients for the engine's RPC APIs, speaking heat-engine's dialect.

``EngineClient`` sends exactly the method names and keyword arguments that
Heat's own ``heat/rpc/client.py`` sends (API version 1.36), so our API can
drive our engine and a real heat-api could drive it too.  What each method
returns is specified in docs/engine-rpc.md.

``WorkerClient`` carries the convergence messages between engines.
"""

from typing import Any

from oslo_config import cfg
import oslo_messaging

from convergence.rpc import heat_errors
from convergence.rpc.serializer import RequestContextSerializer

ENGINE_TOPIC = 'engine'
WORKER_TOPIC = 'engine_worker'
API_VERSION = '1.36'
# The worker API (check_resource…) is versioned apart, as in Heat's
# heat/rpc/worker_client.py; convergence/worker/service.py serves it.
WORKER_API_VERSION = '1.0'
# Remote errors from these modules are re-raised as their own class.  Our
# engines send ConvergenceErrors as Heat's (heat_errors.from_remote reads
# them); engines of releases before that sent them under their own module.
ALLOWED_REMOTE_EXMODS = ['convergence.exceptions']

# Every method of heat-engine's RPC API (1.36, heat/rpc/client.py).  One
# the engine does not offer answers NotSupported naming it, as heat-engine
# refuses a feature it has switched off, rather than oslo.messaging's
# NoSuchMethod, which a stock heat-api would answer 500.
HEAT_ENGINE_METHODS = frozenset({
    'abandon_stack', 'authenticated_to_backend', 'check_software_deployment',
    'count_stacks', 'create_software_config', 'create_software_deployment',
    'create_stack', 'delete_snapshot', 'delete_software_config',
    'delete_software_deployment', 'delete_stack', 'describe_stack_resource',
    'describe_stack_resources', 'export_stack', 'find_physical_resource',
    'generate_template', 'get_environment', 'get_files', 'get_revision',
    'get_template', 'identify_stack', 'list_events', 'list_outputs',
    'list_resource_types', 'list_services', 'list_software_configs',
    'list_software_deployments', 'list_stack_resources', 'list_stacks',
    'list_template_functions', 'list_template_versions',
    'metadata_software_deployments', 'preview_stack', 'preview_update_stack',
    'resource_mark_unhealthy', 'resource_schema', 'resource_signal',
    'show_output', 'show_snapshot', 'show_software_config',
    'show_software_deployment', 'show_stack', 'signal_software_deployment',
    'stack_cancel_update', 'stack_check', 'stack_list_snapshots',
    'stack_restore', 'stack_resume', 'stack_snapshot', 'stack_suspend',
    'update_software_deployment', 'update_stack', 'validate_template'})

Context = Any  # a RequestContext, or its dict


def get_rpc_transport(conf: cfg.ConfigOpts,
                      url: str | None = None) -> oslo_messaging.Transport:
    """An RPC transport that lets ConvergenceErrors cross the bus intact."""
    return oslo_messaging.get_rpc_transport(
        conf, url=url, allowed_remote_exmods=ALLOWED_REMOTE_EXMODS)


def _rpc_client(transport: oslo_messaging.Transport, topic: str,
                version: str = API_VERSION,
                **target_kwargs: Any) -> oslo_messaging.RPCClient:
    target = oslo_messaging.Target(topic=topic, version=version,
                                   **target_kwargs)
    return oslo_messaging.get_rpc_client(
        transport, target, serializer=RequestContextSerializer())


class EngineClient:
    """heat-engine's RPC API: one method per engine call, same arguments."""

    def __init__(self, transport: oslo_messaging.Transport,
                 timeout: float | None = None) -> None:
        self._client = _rpc_client(transport, ENGINE_TOPIC)
        if timeout is not None:
            self._client = self._client.prepare(timeout=timeout)

    def _call(self, ctxt: Context, method: str, _client=None,
              **kwargs: Any) -> Any:
        """Call ``method``; ``_client``: a prepared client (its timeout)."""
        try:
            return (_client or self._client).call(ctxt, method, **kwargs)
        except oslo_messaging.RemoteError as exc:
            raise heat_errors.from_remote(exc) from None

    # --- stacks ----------------------------------------------------------

    def identify_stack(self, ctxt: Context, stack_name: str) -> dict:
        return self._call(ctxt, 'identify_stack', stack_name=stack_name)

    def list_stacks(self, ctxt: Context, limit=None, marker=None,
                    sort_keys=None, sort_dir=None, filters=None,
                    show_deleted=False, show_nested=False, show_hidden=False,
                    tags=None, tags_any=None, not_tags=None,
                    not_tags_any=None) -> list:
        return self._call(
            ctxt, 'list_stacks', limit=limit, sort_keys=sort_keys,
            marker=marker, sort_dir=sort_dir, filters=filters,
            show_deleted=show_deleted, show_nested=show_nested,
            show_hidden=show_hidden, tags=tags, tags_any=tags_any,
            not_tags=not_tags, not_tags_any=not_tags_any)

    def count_stacks(self, ctxt: Context, filters=None, show_deleted=False,
                     show_nested=False, show_hidden=False, tags=None,
                     tags_any=None, not_tags=None, not_tags_any=None) -> int:
        return self._call(
            ctxt, 'count_stacks', filters=filters, show_deleted=show_deleted,
            show_nested=show_nested, show_hidden=show_hidden, tags=tags,
            tags_any=tags_any, not_tags=not_tags, not_tags_any=not_tags_any)

    def show_stack(self, ctxt: Context, stack_identity: dict,
                   resolve_outputs: bool = True) -> list:
        return self._call(ctxt, 'show_stack', stack_identity=stack_identity,
                          resolve_outputs=resolve_outputs)

    def preview_stack(self, ctxt: Context, stack_name, template, params,
                      files, args, environment_files=None,
                      files_container=None) -> dict:
        return self._call(
            ctxt, 'preview_stack', stack_name=stack_name, template=template,
            params=params, files=files, environment_files=environment_files,
            files_container=files_container, args=args)

    def create_stack(self, ctxt: Context, stack_name, template, params,
                     files, args, environment_files=None,
                     files_container=None, owner_id=None, nested_depth=0,
                     user_creds_id=None, stack_user_project_id=None,
                     parent_resource_name=None, template_id=None) -> dict:
        return self._call(
            ctxt, 'create_stack', stack_name=stack_name, template=template,
            params=params, files=files, environment_files=environment_files,
            files_container=files_container, args=args, owner_id=owner_id,
            nested_depth=nested_depth, user_creds_id=user_creds_id,
            stack_user_project_id=stack_user_project_id,
            parent_resource_name=parent_resource_name,
            template_id=template_id)

    def update_stack(self, ctxt: Context, stack_identity, template, params,
                     files, args, environment_files=None,
                     files_container=None, template_id=None) -> dict:
        return self._call(
            ctxt, 'update_stack', stack_identity=stack_identity,
            template=template, params=params, files=files,
            environment_files=environment_files,
            files_container=files_container, args=args,
            template_id=template_id)

    def preview_update_stack(self, ctxt: Context, stack_identity, template,
                             params, files, args, environment_files=None,
                             files_container=None) -> dict:
        return self._call(
            ctxt, 'preview_update_stack', stack_identity=stack_identity,
            template=template, params=params, files=files,
            environment_files=environment_files,
            files_container=files_container, args=args)

    def delete_stack(self, ctxt: Context, stack_identity: dict,
                     cast: bool = False) -> None:
        if cast:
            return self._client.cast(ctxt, 'delete_stack',
                                     stack_identity=stack_identity)
        return self._call(ctxt, 'delete_stack', stack_identity=stack_identity)

    def abandon_stack(self, ctxt: Context, stack_identity: dict) -> dict:
        return self._call(ctxt, 'abandon_stack',
                          stack_identity=stack_identity)

    def export_stack(self, ctxt: Context, stack_identity: dict) -> dict:
        return self._call(ctxt, 'export_stack', stack_identity=stack_identity)

    def stack_snapshot(self, ctxt: Context, stack_identity: dict,
                       name: str | None) -> dict:
        return self._call(ctxt, 'stack_snapshot',
                          stack_identity=stack_identity, name=name)

    def show_snapshot(self, ctxt: Context, stack_identity: dict,
                      snapshot_id: str) -> dict:
        return self._call(ctxt, 'show_snapshot',
                          stack_identity=stack_identity,
                          snapshot_id=snapshot_id)

    def delete_snapshot(self, ctxt: Context, stack_identity: dict,
                        snapshot_id: str) -> None:
        return self._call(ctxt, 'delete_snapshot',
                          stack_identity=stack_identity,
                          snapshot_id=snapshot_id)

    def stack_list_snapshots(self, ctxt: Context,
                             stack_identity: dict) -> list:
        return self._call(ctxt, 'stack_list_snapshots',
                          stack_identity=stack_identity)

    def stack_restore(self, ctxt: Context, stack_identity: dict,
                      snapshot_id: str) -> None:
        return self._call(ctxt, 'stack_restore',
                          stack_identity=stack_identity,
                          snapshot_id=snapshot_id)

    def stack_cancel_update(self, ctxt: Context, stack_identity: dict,
                            cancel_with_rollback: bool = True) -> None:
        return self._call(ctxt, 'stack_cancel_update',
                          stack_identity=stack_identity,
                          cancel_with_rollback=cancel_with_rollback)

    def stack_suspend(self, ctxt: Context, stack_identity: dict) -> None:
        return self._call(ctxt, 'stack_suspend',
                          stack_identity=stack_identity)

    def stack_resume(self, ctxt: Context, stack_identity: dict) -> None:
        return self._call(ctxt, 'stack_resume', stack_identity=stack_identity)

    def stack_check(self, ctxt: Context, stack_identity: dict) -> None:
        return self._call(ctxt, 'stack_check', stack_identity=stack_identity)

    # --- templates, environment, files -----------------------------------

    def validate_template(self, ctxt: Context, template, params=None,
                          files=None, environment_files=None,
                          files_container=None, show_nested=False,
                          ignorable_errors=None) -> dict:
        return self._call(
            ctxt, 'validate_template', template=template, params=params,
            files=files, show_nested=show_nested,
            environment_files=environment_files,
            files_container=files_container,
            ignorable_errors=ignorable_errors)

    def get_template(self, ctxt: Context, stack_identity: dict) -> dict:
        return self._call(ctxt, 'get_template', stack_identity=stack_identity)

    def get_environment(self, ctxt: Context, stack_identity: dict) -> dict:
        return self._call(ctxt, 'get_environment',
                          stack_identity=stack_identity)

    def get_files(self, ctxt: Context, stack_identity: dict) -> dict:
        return self._call(ctxt, 'get_files', stack_identity=stack_identity)

    # --- resources, events, outputs --------------------------------------

    def list_stack_resources(self, ctxt: Context, stack_identity: dict,
                             nested_depth: int = 0, with_detail: bool = False,
                             filters: dict | None = None) -> list:
        return self._call(ctxt, 'list_stack_resources',
                          stack_identity=stack_identity,
                          nested_depth=nested_depth, with_detail=with_detail,
                          filters=filters)

    def describe_stack_resource(self, ctxt: Context, stack_identity: dict,
                                resource_name: str, with_attr=False) -> dict:
        return self._call(ctxt, 'describe_stack_resource',
                          stack_identity=stack_identity,
                          resource_name=resource_name, with_attr=with_attr)

    def resource_signal(self, ctxt: Context, stack_identity: dict,
                        resource_name: str, details: Any,
                        sync_call: bool = False) -> Any:
        return self._call(ctxt, 'resource_signal',
                          stack_identity=stack_identity,
                          resource_name=resource_name, details=details,
                          sync_call=sync_call)

    def resource_mark_unhealthy(self, ctxt: Context, stack_identity: dict,
                                resource_name: str, mark_unhealthy: bool,
                                resource_status_reason=None) -> None:
        return self._call(ctxt, 'resource_mark_unhealthy',
                          stack_identity=stack_identity,
                          resource_name=resource_name,
                          mark_unhealthy=mark_unhealthy,
                          resource_status_reason=resource_status_reason)

    def list_events(self, ctxt: Context, stack_identity: dict, filters=None,
                    limit=None, marker=None, sort_keys=None, sort_dir=None,
                    nested_depth=None) -> list:
        return self._call(ctxt, 'list_events', stack_identity=stack_identity,
                          filters=filters, limit=limit, marker=marker,
                          sort_keys=sort_keys, sort_dir=sort_dir,
                          nested_depth=nested_depth)

    def list_outputs(self, ctxt: Context, stack_identity: dict) -> list:
        return self._call(ctxt, 'list_outputs', stack_identity=stack_identity)

    def show_output(self, ctxt: Context, stack_identity: dict,
                    output_key: str) -> dict:
        return self._call(ctxt, 'show_output', stack_identity=stack_identity,
                          output_key=output_key)

    # --- catalogue ---------------------------------------------------------

    def list_resource_types(self, ctxt: Context, support_status=None,
                            type_name=None, heat_version=None,
                            with_description=False) -> list:
        return self._call(ctxt, 'list_resource_types',
                          support_status=support_status, type_name=type_name,
                          heat_version=heat_version,
                          with_description=with_description)

    def resource_schema(self, ctxt: Context, type_name: str,
                        with_description: bool = False) -> dict:
        return self._call(ctxt, 'resource_schema', type_name=type_name,
                          with_description=with_description)

    def generate_template(self, ctxt: Context, type_name: str,
                          template_type: str = 'cfn') -> dict:
        return self._call(ctxt, 'generate_template', type_name=type_name,
                          template_type=template_type)

    def list_services(self, ctxt: Context) -> list:
        return self._call(ctxt, 'list_services')

    def list_template_versions(self, ctxt: Context) -> list:
        return self._call(ctxt, 'list_template_versions')

    def list_template_functions(self, ctxt: Context, template_version: str,
                                with_condition: bool = False) -> list:
        return self._call(ctxt, 'list_template_functions',
                          template_version=template_version,
                          with_condition=with_condition)

    def get_revision(self, ctxt: Context) -> str:
        return self._call(ctxt, 'get_revision')

    # --- software configs and deployments ------------------------------------

    def show_software_config(self, ctxt: Context, config_id: str) -> dict:
        return self._call(ctxt, 'show_software_config', config_id=config_id)

    def list_software_configs(self, ctxt: Context, limit=None,
                              marker=None) -> list:
        return self._call(ctxt, 'list_software_configs', limit=limit,
                          marker=marker)

    def create_software_config(self, ctxt: Context, group, name, config,
                               inputs=None, outputs=None,
                               options=None) -> dict:
        return self._call(ctxt, 'create_software_config', group=group,
                          name=name, config=config, inputs=inputs or [],
                          outputs=outputs or [], options=options or {})

    def delete_software_config(self, ctxt: Context, config_id: str) -> None:
        return self._call(ctxt, 'delete_software_config', config_id=config_id)

    def list_software_deployments(self, ctxt: Context,
                                  server_id=None) -> list:
        return self._call(ctxt, 'list_software_deployments',
                          server_id=server_id)

    def metadata_software_deployments(self, ctxt: Context,
                                      server_id: str) -> list:
        return self._call(ctxt, 'metadata_software_deployments',
                          server_id=server_id)

    def show_software_deployment(self, ctxt: Context,
                                 deployment_id: str) -> dict:
        return self._call(ctxt, 'show_software_deployment',
                          deployment_id=deployment_id)

    def check_software_deployment(self, ctxt: Context, deployment_id: str,
                                  timeout) -> dict:
        # As heat-api: the reply may take as long as the check may wait.
        client = self._client.prepare(timeout=timeout) if timeout else None
        return self._call(ctxt, 'check_software_deployment', _client=client,
                          deployment_id=deployment_id, timeout=timeout)

    def create_software_deployment(self, ctxt: Context, server_id,
                                   config_id=None, input_values=None,
                                   action='INIT', status='COMPLETE',
                                   status_reason='',
                                   stack_user_project_id=None,
                                   deployment_id=None) -> dict:
        return self._call(
            ctxt, 'create_software_deployment', server_id=server_id,
            config_id=config_id, deployment_id=deployment_id,
            input_values=input_values or {}, action=action, status=status,
            status_reason=status_reason,
            stack_user_project_id=stack_user_project_id)

    def update_software_deployment(self, ctxt: Context, deployment_id,
                                   config_id=None, input_values=None,
                                   output_values=None, action=None,
                                   status=None, status_reason=None,
                                   updated_at=None) -> dict:
        return self._call(
            ctxt, 'update_software_deployment', deployment_id=deployment_id,
            config_id=config_id, input_values=input_values,
            output_values=output_values, action=action, status=status,
            status_reason=status_reason, updated_at=updated_at)

    def signal_software_deployment(self, ctxt: Context, deployment_id,
                                   details, updated_at=None):
        return self._call(ctxt, 'signal_software_deployment',
                          deployment_id=deployment_id, details=details,
                          updated_at=updated_at)

    # --- ours: the agents' URLs (engine/deployment_signals.py) ---

    def agent_metadata(self, ctxt: Context, token: str) -> dict:
        return self._call(ctxt, 'agent_metadata', token=token)

    def agent_signal(self, ctxt: Context, token: str, details: dict) -> None:
        return self._call(ctxt, 'agent_signal', token=token, details=details)

    def delete_software_deployment(self, ctxt: Context,
                                   deployment_id: str) -> None:
        return self._call(ctxt, 'delete_software_deployment',
                          deployment_id=deployment_id)


class WorkerClient:
    """Convergence messages: trigger a graph node, or stop one in flight."""

    def __init__(self, transport: oslo_messaging.Transport) -> None:
        self._client = _rpc_client(transport, WORKER_TOPIC,
                                   version=WORKER_API_VERSION)

    def check_resource(self, ctxt: Context, resource_id: int,
                       traversal_id: str, data: dict,
                       is_update: bool) -> None:
        """Ask any engine to process node (resource_id, is_update)."""
        self._client.cast(ctxt, 'check_resource', resource_id=resource_id,
                          traversal_id=traversal_id, data=data,
                          is_update=is_update)

    def cancel_check_resource(self, ctxt: Context, stack_id: str,
                              engine_id: str) -> None:
        """Tell the one engine ``engine_id`` to stop its work on a stack."""
        self._client.prepare(server=engine_id).cast(
            ctxt, 'cancel_check_resource', stack_id=stack_id)
