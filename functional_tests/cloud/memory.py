"""Resident memory of a cloud's services, from /proc."""

import os

from functional_tests.cloud import launcher


def _group_rss(pgid: int) -> tuple[int, int]:
    """(processes, resident KiB) of process group ``pgid``."""
    count = kib = 0
    for entry in os.listdir('/proc'):
        if not entry.isdigit():
            continue
        try:
            with open('/proc/%s/stat' % entry) as f:
                if int(f.read().rsplit(')', 1)[1].split()[2]) != pgid:
                    continue
            with open('/proc/%s/status' % entry) as f:
                for line in f:
                    if line.startswith('VmRSS:'):
                        kib += int(line.split()[1])
            count += 1
        except (OSError, ValueError, IndexError):
            continue
    return count, kib


def by_service(procs: launcher.Launcher) -> dict[str, tuple[int, float]]:
    """Each running service's (processes, resident MiB)."""
    usage = {}
    for name, pid in procs.running().items():
        count, kib = _group_rss(pid)
        usage[name] = (count, kib / 1024)
    return usage
