"""What the multi-process tests read back through heatclient.

Mixed into a test case that has ``self.heat``.
"""

from functional_tests import waiting


class HeatHelpers:

    def wait_status(self, name: str, expected: str, timeout: float = 90):
        def probe():
            status = self.heat.stacks.get(name).stack_status
            self.assertNotIn('FAILED', status)
            return status == expected
        waiting.wait_until(probe, timeout, '%s to be %s' % (name, expected))

    def joined(self, name: str) -> str:
        return {o['output_key']: o['output_value']
                for o in self.heat.stacks.get(name).outputs}['joined']

    def resource_statuses(self, name: str) -> dict:
        return {r.resource_name: r.resource_status
                for r in self.heat.resources.list(name)}
