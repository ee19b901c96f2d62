"""Hostile input and load: requests built to cost the server much.

Each test sends what an unkind or careless client could send (alias bombs,
huge expansions, absurd numbers, bursts of concurrent requests) to one real
``convergence-all`` and checks what the server must never do: answer 5xx,
crash, leave rows behind for a rejected request, grow its memory past
``base.RSS_LIMIT_MB`` or keep an unrelated GET waiting.  Every test is
bounded in time and repeatable::

    stestr --test-path ./functional_tests run --concurrency 1 \\
        functional_tests.hostile

(``tox -e hostile``).  The figures measured are printed.
"""
