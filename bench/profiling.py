"""``--profile FILE``: where our engine's CPU time goes, by function.

Uses yappi with its greenlet backend (every node runs on its own green
thread, which cProfile attributes wrongly); falls back to cProfile when yappi
is not installed.  Profiling slows the engine down two- to threefold, so a
profiled run's timings are not the benchmark's numbers.
"""

import contextlib
import cProfile
import io
import pstats

# Rows of each listing.
TOP = 40
NAME_WIDTH = 100


@contextlib.contextmanager
def profiled(path: str | None):
    """Profile the block and write the listings to ``path`` (None: no-op)."""
    if path is None:
        yield
        return
    try:
        import yappi
    except ImportError:
        yappi = None
    if yappi is None:
        with _cprofile(path):
            yield
        return
    yappi.set_clock_type('cpu')
    yappi.set_context_backend('greenlet')
    yappi.start()
    try:
        yield
    finally:
        yappi.stop()
        _write_yappi(yappi, path)


def _write_yappi(yappi, path: str) -> None:
    columns = {0: ('name', NAME_WIDTH), 1: ('ncall', 14), 2: ('tsub', 8),
               3: ('ttot', 8)}
    with open(path, 'w') as out:
        for order, title in (('tsub', 'own CPU time (tsub)'),
                             ('ttot', 'CPU time including callees (ttot)')):
            out.write('== top %d functions by %s ==\n' % (TOP, title))
            stats = yappi.get_func_stats().sort(order)
            buffer = io.StringIO()
            stats.print_all(out=buffer, columns=columns)
            out.write('\n'.join(buffer.getvalue().splitlines()[:TOP + 4]))
            out.write('\n\n')
    yappi.clear_stats()


@contextlib.contextmanager
def _cprofile(path: str):
    profile = cProfile.Profile()
    profile.enable()
    try:
        yield
    finally:
        profile.disable()
        with open(path, 'w') as out:
            stats = pstats.Stats(profile, stream=out)
            stats.sort_stats('tottime').print_stats(TOP)
            stats.sort_stats('cumulative').print_stats(TOP)
