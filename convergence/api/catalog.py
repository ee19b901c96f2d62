"""What the service offers: template versions, functions, resource types,
template validation and build info (tenant-level endpoints)."""

from typing import Any

from webob import exc

from convergence.api import params as p
from convergence.api.stack_data import StackData

UNKNOWN_REVISION = 'unknown'


def _bool_query(req, name: str, default: bool = False) -> bool:
    if req.GET.get(name) is None:
        return default
    return p.extract_bool(name, req.GET[name])


class CatalogController:
    """Tenant-level endpoints that do not name a stack."""

    def __init__(self, engine, options: dict) -> None:
        self.engine = engine
        self.options = options

    def validate_template(self, req, ctx, body=None) -> dict:
        data = StackData(body,
                         max_template_size=self.options['max_template_size'])
        ignore = req.GET.get('ignore_errors')
        result = self.engine.validate_template(
            ctx, data.template(), data.environment(), files=data.files(),
            environment_files=data.environment_files(),
            files_container=data.files_container(),
            show_nested=_bool_query(req, 'show_nested'),
            ignorable_errors=ignore.split(',') if ignore else None)
        if 'Error' in result:
            raise exc.HTTPBadRequest(result['Error'])
        return result

    def list_services(self, req, ctx) -> dict:
        return {'services': self.engine.list_services(ctx)}

    def list_template_versions(self, req, ctx) -> dict:
        return {'template_versions':
                self.engine.list_template_versions(ctx)}

    def list_template_functions(self, req, ctx,
                                template_version: str) -> dict:
        return {'template_functions': self.engine.list_template_functions(
            ctx, template_version,
            _bool_query(req, 'with_condition_func'))}

    def list_resource_types(self, req, ctx) -> dict:
        return {'resource_types': self.engine.list_resource_types(
            ctx, support_status=req.GET.get('support_status'),
            type_name=req.GET.get('name'),
            heat_version=req.GET.get('version'),
            with_description=_bool_query(req, 'with_description'))}

    def resource_schema(self, req, ctx, type_name: str) -> Any:
        return self.engine.resource_schema(
            ctx, type_name, _bool_query(req, 'with_description'))

    def generate_template(self, req, ctx, type_name: str) -> Any:
        template_type = req.GET.get('template_type', 'cfn').lower()
        if template_type not in ('cfn', 'hot'):
            raise exc.HTTPBadRequest(
                'Template type is not supported: Invalid template type '
                '"%s", valid types are: cfn, hot.'
                % req.GET['template_type'])
        return self.engine.generate_template(ctx, type_name, template_type)

    def build_info(self, req, ctx) -> dict:
        try:
            engine_revision = self.engine.get_revision(ctx)
        except Exception:  # an engine without get_revision
            engine_revision = UNKNOWN_REVISION
        return {'api': {'revision': UNKNOWN_REVISION},
                'engine': {'revision': engine_revision}}
