"""Functional tests: a real ``convergence-all`` process, driven over HTTP.

Every test talks to the server only through Heat's REST API, with
python-heatclient, plain HTTP (to see Heat's error bodies) or the
``openstack`` CLI, and asserts what a user would observe.

Run with ``tox -e functional`` or
``stestr --test-path ./functional_tests run --concurrency 1``.
Set ``CONVERGENCE_TEST_ENDPOINT=http://127.0.0.1:PORT/v1/admin`` to run the
same tests against a server that is already running (for instance the
reference upstream Heat, to check that a test asserts Heat's behaviour).
"""
