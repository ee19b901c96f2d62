"""How a run of Heat's functional tests compares with upstream Heat here.

usage: stestr last --subunit | python upstream_report.py upstream-passes.txt

Reads the run's subunit v2 stream and prints, of the tests upstream Heat
27.0.1 passes on this machine (the file), how many the run had, how many
passed against us and which did not; then the tests that pass against us
only.
"""

import sys

import subunit
import testtools

PASSED = ('success',)


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


def upstream_passes(path: str) -> list[str]:
    with open(path) as listed:
        return [line.strip() for line in listed
                if line.strip() and not line.startswith('#')]


def main(path: str) -> None:
    ours = outcomes(sys.stdin.buffer)
    theirs = upstream_passes(path)
    run = [t for t in theirs if t in ours]
    passed = [t for t in run if ours[t] in PASSED]
    print('heat-functional: upstream Heat 27.0.1 passes %d tests here; %d of '
          'them ran, %d passed against convergence'
          % (len(theirs), len(run), len(passed)))
    for test in run:
        if test not in passed:
            print('heat-functional:   not passed (%s): %s'
                  % (ours[test], test))
    only_ours = sorted(t for t, status in ours.items()
                       if status in PASSED and t not in theirs)
    for test in only_ours:
        print('heat-functional:   passed here only: %s' % test)


if __name__ == '__main__':
    main(sys.argv[1])
