"""The in-memory twin of Heat's orchestration API (cloud_ports.OrchestrationAPI),
for unit tests of OS::Heat::Stack.

A template is validated by this engine's own template rules (a section
Heat does not know is Heat's 400).  Each action shows
``<ACTION>_IN_PROGRESS`` for one ``show``, then ``<ACTION>_COMPLETE`` (or
``_FAILED`` after ``fail_next``); a deleted stack is then gone.  A stack's
outputs are those a test gives with ``set_outputs``.
"""

import copy
import uuid

from convergence import exceptions
from convergence import template as tmpl
from convergence.clients import errors


class InMemoryOrchestration:
    """cloud_ports.OrchestrationAPI over dicts."""

    def __init__(self):
        self.stacks: dict[str, dict] = {}
        self.calls: list[tuple] = []
        self._steps: dict[str, list[str]] = {}
        self._fail_reason: str | None = None

    def fail_next(self, reason: str) -> None:
        """Make the next action started end FAILED with ``reason``."""
        self._fail_reason = reason

    def set_outputs(self, stack_id: str, outputs: dict) -> None:
        self.stacks[stack_id]['outputs'] = [
            {'output_key': k, 'output_value': v} for k, v in outputs.items()]

    def validate(self, body: dict) -> dict:
        self.calls.append(('validate', copy.deepcopy(body)))
        try:
            tmpl.Template(body['template'],
                          files=body.get('files') or {}).validate()
        except exceptions.ConvergenceError as exc:
            raise errors.BadRequest(exc.message, 400) from None
        return {'Parameters': {}, 'Description': 'No description'}

    def create(self, body: dict) -> str:
        self.calls.append(('create', copy.deepcopy(body)))
        self.validate(body)
        name = body['stack_name']
        if any(s['stack_name'] == name for s in self.stacks.values()):
            raise errors.Conflict('The Stack (%s) already exists.' % name,
                                  409)
        stack_id = str(uuid.uuid4())
        self.stacks[stack_id] = dict(copy.deepcopy(body), id=stack_id,
                                     outputs=[])
        self._start(stack_id, 'CREATE')
        return stack_id

    def _start(self, stack_id: str, action: str) -> None:
        end = 'FAILED' if self._fail_reason else 'COMPLETE'
        stack = self.stacks[stack_id]
        stack.update(stack_status='%s_IN_PROGRESS' % action,
                     stack_status_reason='Stack %s started' % action)
        self._steps[stack_id] = [
            ('%s_IN_PROGRESS' % action, 'Stack %s started' % action),
            ('%s_%s' % (action, end), self._fail_reason or
             'Stack %s completed successfully' % action)]
        self._fail_reason = None

    def _get(self, name: str, stack_id: str) -> dict | None:
        stack = self.stacks.get(stack_id)
        if stack is None or stack['stack_name'] != name:
            return None
        return stack

    def show(self, name: str, stack_id: str) -> dict | None:
        self.calls.append(('show', name, stack_id))
        stack = self._get(name, stack_id)
        if stack is None:
            return None
        steps = self._steps.get(stack_id)
        if steps:
            status, reason = steps.pop(0)
            if status == 'DELETE_COMPLETE':
                del self.stacks[stack_id]
                return None
            stack.update(stack_status=status, stack_status_reason=reason)
        return copy.deepcopy(stack)

    def _existing(self, name: str, stack_id: str) -> dict:
        stack = self._get(name, stack_id)
        if stack is None:
            raise errors.NotFound('The Stack (%s) could not be found.'
                                  % name, 404)
        return stack

    def update(self, name: str, stack_id: str, body: dict) -> None:
        self.calls.append(('update', name, stack_id, copy.deepcopy(body)))
        stack = self._existing(name, stack_id)
        self.validate(body)
        stack.update(copy.deepcopy(body))
        self._start(stack_id, 'UPDATE')

    def delete(self, name: str, stack_id: str) -> bool:
        self.calls.append(('delete', name, stack_id))
        if self._get(name, stack_id) is None:
            return False
        self._start(stack_id, 'DELETE')
        return True

    def action(self, name: str, stack_id: str, action: str) -> None:
        self.calls.append(('action', name, stack_id, action))
        self._existing(name, stack_id)
        if action not in ('suspend', 'resume', 'check'):
            raise errors.BadRequest('Invalid action %s' % action, 400)
        self._start(stack_id, action.upper())
