"""Every REST route is checked against a policy rule that the policy
knows (api/app.py's ROUTES against api/policy.py's rules)."""

import testtools

from convergence.api import app
from convergence.api import policy


class RouteRulesTest(testtools.TestCase):

    def test_every_route_names_a_registered_rule(self):
        registered = {rule.name for rule in policy.list_rules()}
        for _methods, path, controller, action, _body in app.ROUTES:
            rule = app.policy_rule(controller, action)
            if rule is None:  # the controller enforces actions:<action>
                continue
            where = '%s %s.%s' % (path, controller, action)
            self.assertIn(rule, registered, where)

    def test_the_graph_and_the_live_page_read_as_a_show(self):
        self.assertEqual('stacks:show', app.policy_rule('graph', 'graph'))
        self.assertEqual('stacks:show', app.policy_rule('graph', 'live'))
