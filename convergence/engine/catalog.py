"""The engine's catalog calls of heat-engine's RPC API: what a resource
type offers (its schema, a template made of it) and the engines there are
(``list_services``)."""

import datetime

from convergence import exceptions
from convergence import resources
from convergence.engine import format as fmt
from convergence.engine import type_availability
from convergence.engine import type_policy
from convergence.engine import type_schema
from db.api import utcnow


def service_status(service: dict, now: datetime.datetime,
                   default_interval: int) -> str:
    """``up`` while the engine's last beat is at most two intervals old."""
    interval = service['report_interval'] or default_interval
    age = now - (service['updated_at'] or service['created_at'])
    return 'up' if age <= datetime.timedelta(seconds=2 * interval) else 'down'


class CatalogQueries:
    """Mixed into EngineService; needs ``self.rt`` and ``self.conf``."""

    def resource_schema(self, ctxt, type_name, with_description=False):
        return type_schema.resource_schema(
            self._available_type(ctxt, type_name), type_name,
            with_description)

    def generate_template(self, ctxt, type_name, template_type='cfn'):
        return type_schema.template(self._available_type(ctxt, type_name),
                                    type_name, template_type)

    def _available_type(self, ctxt, type_name: str) -> type:
        """As _global_type, refusing a type the caller's cloud lacks (one
        Heat has and we do not build too: Heat refuses it so)."""
        catalog = type_availability.catalog_of(self.rt, ctxt)
        try:
            cls = self._global_type(type_name)
        except exceptions.EntityNotFound:
            error = type_availability.unavailable_unbuilt(type_name, catalog)
            if error is None:
                raise
            raise error from None
        error = type_availability.unavailable(cls, type_name, catalog)
        if error is not None:
            raise error
        type_policy.check(self.conf, ctxt, [type_name])
        return cls

    def list_services(self, ctxt):
        now = utcnow()
        return [_service(row, service_status(row, now,
                                             self.conf.periodic_interval))
                for row in self.rt.db.service_list()]

    @staticmethod
    def _global_type(type_name: str) -> type:
        """The plugin class of a type of the global registry (no files, no
        environment: a provider template is no such type)."""
        try:
            return resources.get_class(type_name, {})
        except exceptions.ResourceTypeNotFound:
            raise exceptions.EntityNotFound(entity='Resource Type',
                                            name=type_name) from None


def _service(row: dict, status: str) -> dict:
    """A service row as heat-engine's ``format_service`` shows it."""
    return {'id': row['id'], 'binary': row['binary'],
            'engine_id': row['engine_id'], 'host': row['host'],
            'hostname': row['hostname'], 'topic': row['topic'],
            'report_interval': row['report_interval'],
            'created_at': fmt.isotime(row['created_at']),
            'updated_at': fmt.isotime(row['updated_at']),
            'deleted_at': fmt.isotime(row['deleted_at']),
            'status': status}
