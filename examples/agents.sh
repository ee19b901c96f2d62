#!/usr/bin/env bash
# Start an agent for each OS::Heat::DeployedServer of a stack, on this
# machine, as a server of its own would run one: os-collect-config (PyPI)
# polling the metadata URL the server's os_collect_config attribute names,
# running convergence-heat-config (docs/software-config.md).  Waits for each
# server to exist.  The agents keep running in the background; each has its
# directory (config, caches, records, agent.log) under $AGENTS_DIR.
#
# usage: examples/agents.sh STACK     (OS_AUTH_TYPE/OS_ENDPOINT or OS_CLOUD
#                                      set as for the openstack client)
# e.g.   convergence apply -t examples/fine_grained.yaml fg & examples/agents.sh fg
set -euo pipefail
STACK=${1:?usage: agents.sh STACK}
BIN=${BIN:-$(cd "$(dirname "$0")/.." && pwd)/.venv/bin}
AGENTS_DIR=${AGENTS_DIR:-$(mktemp -d "/tmp/agents-$STACK-XXXX")}
OS="$BIN/openstack"

servers() {
    "$OS" stack resource list "$STACK" -f value -c resource_name -c resource_type |
        awk '$2 == "OS::Heat::DeployedServer" {print $1}'
}

for _ in $(seq 1 120); do
    found=$(servers 2>/dev/null || true)
    [ -n "$found" ] && break
    sleep 0.5
done
[ -n "$found" ] || { echo "stack $STACK has no OS::Heat::DeployedServer" >&2; exit 1; }

for server in $found; do
    url=""
    for _ in $(seq 1 120); do
        url=$("$OS" stack resource show "$STACK" "$server" -f json -c attributes |
              python3 -c 'import json, sys
occ = json.load(sys.stdin)["attributes"].get("os_collect_config") or {}
print(occ.get("request", {}).get("metadata_url", ""))' 2>/dev/null || true)
        [ -n "$url" ] && break
        sleep 0.5
    done
    [ -n "$url" ] || { echo "$server: no metadata URL" >&2; exit 1; }
    dir="$AGENTS_DIR/$server"
    mkdir -p "$dir"
    cat > "$dir/os-collect-config.conf" <<EOF
[DEFAULT]
command = $BIN/convergence-heat-config --state-dir $dir/heat-config
collectors = request
cachedir = $dir/cache
backup_cachedir = $dir/cache-backup
polling_interval = 1.0
min_polling_interval = 0.5
[request]
metadata_url = $url
EOF
    "$BIN/os-collect-config" --config-file "$dir/os-collect-config.conf" \
        > "$dir/agent.log" 2>&1 &
    echo "$server: agent pid $! (log $dir/agent.log)"
done
