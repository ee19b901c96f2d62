"""How a run of Heat's functional tests compares with upstream Heat here.

usage: stestr last --subunit | python upstream_report.py upstream-passes.txt
       upstream-failures.txt

Reads the run's subunit v2 stream and prints, of the tests upstream Heat
27.0.1 passes on this machine, how many the run had, how many passed
against us and which did not; then the tests that failed here as they fail
upstream, and those that pass against us only.  Exits 1 when a test failed
that upstream Heat does not fail here, 2 when the stream holds no test,
else 0.
"""

import sys

import subunit
import testtools

PASSED = ('success',)
FAILED = ('fail',)


def outcomes(stream) -> dict[str, str]:
    """test id -> status ('success', 'fail', 'skip', ...) of the run."""
    seen = {}

    def keep(test):
        seen[test['id']] = test['status']

    result = testtools.StreamToDict(keep)
    result.startTestRun()
    subunit.ByteStreamToStreamResult(stream).run(result)
    result.stopTestRun()
    return seen


def listed(path: str) -> list[str]:
    """The test ids of a list file (comments and blank lines left out)."""
    with open(path) as lines:
        return [line.strip() for line in lines
                if line.strip() and not line.startswith('#')]


def main(passes_path: str, failures_path: str) -> int:
    ours = outcomes(sys.stdin.buffer)
    if not ours:
        print('heat-functional: no test ran')
        return 2
    theirs, their_failures = listed(passes_path), set(listed(failures_path))
    run = [t for t in theirs if t in ours]
    passed = [t for t in run if ours[t] in PASSED]
    print('heat-functional: upstream Heat 27.0.1 passes %d tests here; %d of '
          'them ran, %d passed against convergence'
          % (len(theirs), len(run), len(passed)))
    for test in run:
        if test not in passed:
            print('heat-functional:   not passed (%s): %s'
                  % (ours[test], test))
    failed = sorted(t for t, status in ours.items() if status in FAILED)
    for test in failed:
        if test in their_failures:
            print('heat-functional:   failed as upstream fails here: %s'
                  % test)
    for test in sorted(t for t, status in ours.items()
                       if status in PASSED and t not in theirs):
        print('heat-functional:   passed here only: %s' % test)
    return 1 if any(t not in their_failures for t in failed) else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1], sys.argv[2]))
