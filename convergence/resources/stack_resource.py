"""Resources whose physical resource is a child stack: the plugin side.

A ``StackResource`` does not run ``handle_<action>`` on the runner.  Its
node starts (or updates, or deletes) a child stack's traversal and hands
the row's lock to that operation; the child's verdict resumes the node
(``convergence/nested/``).  No thread waits for a child.

A subclass says what the child is: ``child_template`` (a template dict),
``child_parameters`` (the child's parameter values) and, when they differ
from the parent's, ``child_environment`` and ``child_files``.  Once the
child has converged, the engine gives the plugin the child's outputs
(``context.nested_outputs``), from which attributes and the reference id
are read.

Before anything is stored, the request's validation recurses into every
child it can know (``engine/nested_validation``): a subclass whose child
follows from its properties says so in ``child_template_for_validation``.
"""

from dataclasses import dataclass

from convergence import exceptions
from convergence.resources import base
from convergence.template import environment

# The output a provider template may declare to stand in as its reference.
STACK_ID_OUTPUT = 'OS::stack_id'


@dataclass(frozen=True)
class OutputError:
    """A child's output that did not resolve, in place of its value
    (``nested.outputs``): the parent's get_attr of it fails with
    ``message``, as Heat's ``TemplateOutputError``."""

    message: str


class StackResource(base.Resource):
    """Base class of nested stack resources (provider templates, groups)."""

    # The engine converges the child instead of running handle_* actions.
    nested = True
    # A child's operation is repeated, not undone, after an interruption:
    # starting it again converges the same child to the same goal.
    retry_safe = True

    # --- what the request's validation recurses into ---

    @classmethod
    def child_template_for_validation(cls, properties: dict, files: dict,
                                      env: dict) -> dict | None:
        """The child's template as these validated ``properties`` (which may
        hold UNRESOLVED values) make it, for validating the whole tree
        before anything is stored; None when it cannot be known yet (then
        the child is validated when it is built).

        ``files``, ``env``: the parent's files and environment dict.
        """
        return None

    @classmethod
    def child_parameters_for_validation(cls, properties: dict) -> dict:
        """The child's parameter values for these properties (UNRESOLVED
        ones are left out of the child's validation)."""
        return {}

    @classmethod
    def registry_template(cls) -> str | None:
        """The template file whose registry entries the child's environment
        drops (a provider template may use the type it stands in for)."""
        return None

    # --- the child ---

    def child_template(self) -> dict:
        """The child stack's template, as a template dict."""
        raise NotImplementedError

    def child_parameters(self) -> dict:
        """The child stack's parameter values."""
        return {}

    def child_environment(self) -> dict:
        """The child's environment: the parent's, as Heat hands it down
        (``environment.child_environment``), with the child's parameters."""
        return environment.child_environment(
            self.context.environment or {}, self.child_parameters(),
            self.name, self.registry_template())

    def child_files(self) -> dict:
        """The files the child's template may read (``get_file``, types)."""
        return dict(self.context.files or {})

    @classmethod
    def has_attribute(cls, name: str) -> bool:
        """Any name: ``get_attr`` of a nested stack resource is not checked
        before the child exists.  Heat 27 accepts an output that reads an
        attribute its provider template no longer declares (its
        test_nested_preemption updates to such a template and must
        complete); the value is then None, as for an output that
        disappeared."""
        return isinstance(name, str)

    @classmethod
    def supports_check(cls) -> bool:
        """Checked by checking the child stack (``nested.child``)."""
        return True

    # --- update decision ---

    def plan_update(self, new_properties: dict, *,
                    failed: bool = False) -> base.UpdatePlan:
        """A child stack is always updated in place, failed or not: its own
        resources decide what changes (Heat's StackResource)."""
        if self.resource_id is None:
            return super().plan_update(new_properties, failed=failed)
        self._refuse_immutable_changes(
            set(base.diff_properties(self.properties, new_properties)))
        return base.UpdatePlan(
            base.IN_PLACE, base.diff_properties(self.properties,
                                                new_properties))

    # --- once converged ---

    @property
    def outputs(self) -> dict:
        """The child's outputs (name -> value, None for one that did not
        resolve); empty until it converged."""
        return {key: None if isinstance(value, OutputError)
                else value
                for key, value in (self.context.nested_outputs or {}).items()}

    def _resolve_attribute(self, name: str) -> object:
        """The child's output ``name``.

        Raises:
            TemplateOutputError: the output did not resolve in the child.
        """
        value = (self.context.nested_outputs or {}).get(name)
        if isinstance(value, OutputError):
            raise exceptions.TemplateOutputError(
                resource=self.name, attribute=name, message=value.message)
        return value

    def get_reference_id(self) -> str:
        if self.resource_id is None:
            return str(self.name)
        if self.outputs.get(STACK_ID_OUTPUT) is not None:
            return str(self.outputs[STACK_ID_OUTPUT])
        return str(self.resource_id)
