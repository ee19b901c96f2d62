#!/usr/bin/env bash
# Install convergence into .venv, start convergence-all on the embedded
# default (SQLite file + in-process messaging) and converge examples/hello.yaml
# with the unchanged OpenStack client.  The server keeps running afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-8004}
python3 -m venv .venv
.venv/bin/pip install --quiet --upgrade pip
.venv/bin/pip install --quiet -e '.[test]'
export CONVERGENCE_STATE_DIR=${CONVERGENCE_STATE_DIR:-$PWD/.venv/state}
.venv/bin/convergence-all --port "$PORT" > .venv/convergence-all.log 2>&1 &
echo "convergence-all started (pid $!), log in .venv/convergence-all.log"
for _ in $(seq 1 60); do
    curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break
    sleep 0.5
done
OS=".venv/bin/openstack --os-auth-type none --os-endpoint http://127.0.0.1:$PORT/v1/admin"
$OS stack create --wait -t examples/hello.yaml hello
$OS stack output show hello message
echo "stop it with: kill $!"
