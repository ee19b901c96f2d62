"""Functional tests: real server processes, driven over HTTP.

Every test talks to the server only through Heat's REST API, with
python-heatclient, plain HTTP (to see Heat's error bodies) or the
``openstack`` CLI, and asserts what a user would observe.

Run with ``tox -e functional`` or
``stestr --test-path ./functional_tests run --concurrency 1``.
The deployment under test is chosen by ``CONVERGENCE_FUNCTIONAL_DEPLOYMENT``
(``all``: one convergence-all, the default; ``mariadb`` or ``postgresql``:
three convergence-engine processes and a convergence-api on RabbitMQ) and
``CONVERGENCE_FUNCTIONAL_EXECUTOR`` (``eventlet`` or ``threading``); tox
envs ``functional-mariadb``, ``functional-postgresql`` and
``functional-threading`` set them.  The fault tests in ``faults/`` run only
with ``tox -e faults``.

Set ``CONVERGENCE_TEST_ENDPOINT=http://127.0.0.1:PORT/v1/admin`` to run the
same tests against a server that is already running (for instance the
reference upstream Heat, to check that a test asserts Heat's behaviour).
"""
