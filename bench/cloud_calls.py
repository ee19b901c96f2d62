"""How many API requests the cloud's services served in a time window.

The local cloud's WSGI services run under gunicorn, whose access log lines
(``127.0.0.1 - - [07/Dec/2026:18:20:42 +0000] "GET /v2.1/servers/... HTTP/1.1"
200 ...``) land in ``logs/<service>.out`` (docs/cloud-tests.md).  Counting
them per phase shows what each engine asks of the cloud: every request
counts, the engine's own and those the services make of each other on its
behalf (Nova asking Neutron and Cinder, token validation in Keystone), which
is the load the phase puts on the cloud.  Seconds are the log's resolution.
"""

import calendar
import os
import re

SERVICES = ('nova-api', 'cinder-api', 'neutron', 'glance', 'keystone',
            'placement')
_LINE = re.compile(r'^\S+ - \S+ \[(\d\d)/(\w{3})/(\d{4}):(\d\d):(\d\d):(\d\d)'
                   r' \+0000\] "(\w+) ')
_MONTHS = {m: i for i, m in enumerate(
    ('Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct',
     'Nov', 'Dec'), 1)}


def parse(line: str) -> tuple[int, str] | None:
    """(epoch second, method) of an access log line, None for others."""
    found = _LINE.match(line)
    if not found:
        return None
    day, month, year, hour, minute, second, method = found.groups()
    when = calendar.timegm((int(year), _MONTHS[month], int(day), int(hour),
                            int(minute), int(second)))
    return when, method


def count(lines, start: float, end: float) -> dict[str, int]:
    """Requests by method among ``lines`` from second ``start`` to ``end``
    (both included, whole seconds)."""
    counts: dict[str, int] = {}
    first, last = int(start), int(end)
    for line in lines:
        parsed = parse(line)
        if parsed and first <= parsed[0] <= last:
            counts[parsed[1]] = counts.get(parsed[1], 0) + 1
    return counts


def in_window(log_dir: str, start: float, end: float) -> dict[str, dict]:
    """Per service, requests by method from ``start`` to ``end`` (epoch s)."""
    found = {}
    for service in SERVICES:
        path = os.path.join(log_dir, service + '.out')
        if not os.path.exists(path):
            continue
        with open(path, errors='replace') as log:
            counts = count(log, start, end)
        if counts:
            found[service] = counts
    return found


def total(counts: dict[str, dict], service: str) -> int:
    return sum(counts.get(service, {}).values())
