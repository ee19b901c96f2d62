#!/usr/bin/env bash
# Install convergence into .venv, start convergence-all on the embedded
# default (SQLite file + in-process messaging) and converge examples/hello.yaml
# with the unchanged OpenStack client, then update it with the convergence
# CLI.  The server keeps running afterwards.
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
# The friendly CLI: an update shown as a diff first, then watched; the graph.
export OS_AUTH_TYPE=none OS_ENDPOINT="http://127.0.0.1:$PORT/v1/admin"
.venv/bin/convergence apply -t examples/hello.yaml --parameter greeting=bye hello
.venv/bin/convergence graph hello -o .venv/hello.dot
echo "graph in .venv/hello.dot (convergence graph hello -o hello.svg with graphviz installed);"
echo "live page: http://127.0.0.1:$PORT/v1/admin/stacks/hello/live"
echo "stop it with: kill $!"
