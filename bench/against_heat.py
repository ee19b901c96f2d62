"""Running ``bench/heat_driver.py`` in upstream Heat's own virtualenv."""

import dataclasses
import json
import os
import subprocess
import sys
from typing import Callable

# The reference Heat (openstack-heat 27.0.1), as shared/tools/reference-heat
# installs it; HEAT_REF_VENV overrides.
DEFAULT_VENV = os.path.expanduser('~/.cache/convergence-acceptance/heat-ref-venv')
# Upstream's nested stacks fail on SQLite under load ("database is locked",
# shared/tools/reference-heat): nested workloads run it on PostgreSQL.
NESTED_DB_URL = 'postgresql+psycopg2://postgres@127.0.0.1/convergence_bench_heat'
DRIVER = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                      'heat_driver.py')


class HeatUnavailable(Exception):
    """No Heat virtualenv to run the driver in."""


def python() -> str:
    venv = os.environ.get('HEAT_REF_VENV', DEFAULT_VENV)
    path = os.path.join(venv, 'bin', 'python')
    if not os.access(path, os.X_OK):
        raise HeatUnavailable(
            'no Heat venv at %s: python3 -m venv %s && %s/bin/pip install '
            'openstack-heat==27.0.1 (or set HEAT_REF_VENV)' % (venv, venv,
                                                               venv))
    return path


@dataclasses.dataclass
class Plan:
    """What the driver runs: flat shapes at sizes, nested shapes at leaf
    counts, on a database (None: a fresh SQLite file)."""
    sizes: list[int]
    shapes: list[str]
    nested: list[str] = dataclasses.field(default_factory=list)
    nested_sizes: list[int] = dataclasses.field(default_factory=list)
    db_url: str | None = None


def run(plan: Plan, timeout: float, on_record: Callable[[dict], None],
        log_path: str) -> list[dict]:
    """The driver's records, each also handed to ``on_record`` as it comes.

    Raises HeatUnavailable, or CalledProcessError if the driver dies (its
    stderr is in ``log_path``).
    """
    command = [python(), '-W', 'ignore', DRIVER,
               '--sizes', ','.join(map(str, plan.sizes)),
               '--shapes', ','.join(plan.shapes),
               '--nested', ','.join(plan.nested),
               '--nested-sizes', ','.join(map(str, plan.nested_sizes)),
               '--timeout', str(timeout)]
    if plan.db_url:
        command += ['--db-url', plan.db_url]
    records = []
    saved = os.path.join(os.path.dirname(log_path), 'heat-records.jsonl')
    with open(log_path, 'w') as log, open(saved, 'w') as lines:
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=log,
                                text=True, env=_clean_env())
        for line in proc.stdout:
            if line.startswith('{'):
                # As they come: --heat-results reads them after a crash.
                lines.write(line)
                lines.flush()
                records.append(json.loads(line))
                on_record(records[-1])
        if proc.wait():
            raise subprocess.CalledProcessError(proc.returncode, command)
    return records


def _clean_env() -> dict:
    """Our venv's variables would leak our packages into Heat's python."""
    env = {k: v for k, v in os.environ.items()
           if k not in ('PYTHONPATH', 'VIRTUAL_ENV', 'PYTHONHOME')}
    env['PATH'] = os.pathsep.join(
        p for p in env.get('PATH', '').split(os.pathsep)
        if not p.startswith(sys.prefix))
    return env
