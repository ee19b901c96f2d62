"""The live page of a stack (``GET .../live``) in headless Chromium: it
shows the graph's nodes and follows the stack as it converges, without
being reloaded.

Needs Debian's ``chromium`` and ``chromium-driver`` (skipped, saying so,
where they are missing) and selenium from PyPI.
"""

import shutil
import time

from functional_tests import base
from functional_tests import templates

# Seconds the page may take to show what the API already answers (it
# polls every second while an operation runs, every 2 s otherwise).
PAGE_TIMEOUT = 30
CHROMIUM = ('chromium', 'chromium-browser')
CHROMEDRIVER = 'chromedriver'


def _chromium() -> str | None:
    return next(filter(None, map(shutil.which, CHROMIUM)), None)


class LivePageTest(base.FunctionalTestCase):

    def setUp(self):
        super().setUp()
        browser, driver = _chromium(), shutil.which(CHROMEDRIVER)
        if browser is None or driver is None:
            self.skipTest('headless Chromium is not installed (Debian: '
                          'apt-get install chromium chromium-driver)')
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
        options = webdriver.ChromeOptions()
        options.binary_location = browser
        for flag in ('--headless=new', '--no-sandbox', '--disable-gpu',
                     '--disable-dev-shm-usage', '--window-size=1200,800'):
            options.add_argument(flag)
        self.browser = webdriver.Chrome(service=Service(driver),
                                        options=options)
        self.addCleanup(self.browser.quit)

    def page_state(self) -> dict:
        """What the page shows: the stack status and name -> node status."""
        return self.browser.execute_script(
            'const nodes = {};'
            'for (const g of document.querySelectorAll("[data-node]"))'
            '  nodes[g.dataset.name] = [g.dataset.status, g.dataset.state];'
            'return {status: document.getElementById("status").textContent,'
            '        levels: document.querySelectorAll(".level").length,'
            '        nodes: nodes};')

    def wait_for_page(self, predicate, what: str) -> dict:
        deadline = time.monotonic() + PAGE_TIMEOUT
        while True:
            shown = self.page_state()
            if predicate(shown):
                return shown
            if time.monotonic() > deadline:
                self.fail('the page never showed %s; it shows %s'
                          % (what, shown))
            time.sleep(0.2)

    def test_the_page_shows_the_nodes_and_follows_the_stack(self):
        identifier = self.create_stack(
            templates.two_tests(create_wait=3, update_wait=5),
            expected=None)
        self.browser.get('%s/stacks/%s/live' % (self.endpoint, identifier))

        during = self.wait_for_page(
            lambda s: s['nodes'].get('test1', [''])[0] ==
            'CREATE_IN_PROGRESS', 'test1 being created')
        self.assertEqual(['INIT_COMPLETE', 'waiting'],
                         during['nodes']['test2'])
        self.assertEqual('in_flight', during['nodes']['test1'][1])
        self.assertEqual('CREATE_IN_PROGRESS', during['status'])

        done = self.wait_for_page(lambda s: s['status'] == 'CREATE_COMPLETE',
                                  'the create complete')
        self.assertEqual({'test1': ['CREATE_COMPLETE', 'done'],
                          'test2': ['CREATE_COMPLETE', 'done']},
                         done['nodes'])
        self.assertEqual(1, done['levels'])

        # The stack changes; the page, not reloaded, follows.
        self.update_stack(identifier, parameters={'foo': 'again'},
                          existing=True, expected=None)
        self.wait_for_page(
            lambda s: s['nodes'].get('test1', [''])[0] ==
            'UPDATE_IN_PROGRESS', 'test1 being updated')
        after = self.wait_for_page(
            lambda s: s['status'] == 'UPDATE_COMPLETE', 'the update complete')
        self.assertEqual({'test1': ['UPDATE_COMPLETE', 'done'],
                          'test2': ['UPDATE_COMPLETE', 'done']},
                         after['nodes'])
        edges = self.browser.execute_script(
            'return [...document.querySelectorAll("[data-edge]")]'
            '.map(e => e.dataset.edge);')
        stack_id = identifier.split('/')[1]
        self.assertEqual(['%s/test2 -> %s/test1' % (stack_id, stack_id)],
                         edges)
