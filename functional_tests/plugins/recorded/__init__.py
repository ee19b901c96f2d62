"""Convergence::Test::Recorded: an OS::Heat::TestResource that keeps books.

Same properties and behaviour as OS::Heat::TestResource (``value``,
``fail``, ``action_wait_secs``, ``update_replace``…), and every physical
create and delete is written to the ledger (``ledger.py``) before the engine
stores anything, as a cloud would have made the resource before the engine
learnt its id.  The physical identity is the resource row's
``physical_resource_name()`` (stack, name and the row's uuid), so a create
repeated after a crash adopts what the first attempt made, and a delete
finds the resource even when the engine never stored its id.  Both make an
interrupted action safe to repeat: ``retry_safe``.
"""

import functools

from convergence.resources.test_resource import FAIL, TestResource

from . import ledger as ledger_mod

TYPE_NAME = 'Convergence::Test::Recorded'


class RecordedResource(TestResource):
    """A TestResource whose physical creates and deletes are recorded."""

    retry_safe = True

    def _ledger(self) -> ledger_mod.Ledger:
        return _ledger_at(ledger_mod.path_from_environment())

    def handle_create(self):
        if not self.properties[FAIL]:
            self._ledger().record_create(
                self.physical_resource_name(), self.context.stack_id,
                self.context.stack_name, self.name,
                self.context.resource_uuid)
        return super().handle_create()

    def handle_delete(self):
        self._ledger().record_delete(
            self.resource_id or self.physical_resource_name(),
            self.context.stack_id, self.name)
        return super().handle_delete()


@functools.lru_cache(maxsize=None)
def _ledger_at(path: str) -> ledger_mod.Ledger:
    return ledger_mod.Ledger(path)


def resource_mapping():
    return {TYPE_NAME: RecordedResource}
