#!/usr/bin/env bash
# Heat's own engine functional tests (heat_integrationtests, shipped in the
# openstack-heat 27.0.1 wheel) against a fresh convergence-all, without
# Keystone: OS_NO_CLIENT_AUTH=True plus HEAT_URL (reference doc §5.2).
# With HEAT_FRONT=stock-heat-api they go through upstream heat-api in front
# of two convergence-engines on RabbitMQ and MariaDB instead
# (functional_tests/stock_heat_api.py; needs this checkout's venv active).
#
# usage: functional_tests/heat/run.sh [extra stestr run args, e.g. a regex]
# env:
#   HEAT_VENV        venv holding openstack-heat==27.0.1 plus tempest and
#                    heat-tempest-plugin (their [heat_plugin] config); default
#                    ~/.cache/convergence-acceptance/heat-ref-venv, created if
#                    missing, completed (pip install, additive) if it lacks
#                    the test tools
#   CONVERGENCE_ALL  command starting our server (default: convergence-all on
#                    PATH, else python3 -c ... from this checkout)
#   HEAT_FUNCTIONAL_CONCURRENCY  parallel test workers (default 4)
#   BUILD_TIMEOUT    [heat_plugin] build_timeout in seconds (default 200)
#   KEEP_STATE=1     keep the temp dir (server log, tempest.conf, stestr repo)
#   HEAT_FRONT       convergence-all (default) | stock-heat-api
# exit status: non-zero when a test fails or the server cannot start.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
ANCHORS=${ACCEPT_ANCHORS:-$HOME/.cache/convergence-acceptance}
HEAT_VENV=${HEAT_VENV:-$ANCHORS/heat-ref-venv}
CONCURRENCY=${HEAT_FUNCTIONAL_CONCURRENCY:-4}
BUILD_TIMEOUT=${BUILD_TIMEOUT:-200}

MODULES=(test_create_update test_simultaneous_update test_stack_cancel
         test_update_restricted test_conditions test_resource_chain test_delete
         test_default_parameters test_env_merge test_immutable_parameters
         test_template_versions test_validation test_preview_update
         test_nested_get_attr test_template_resource test_resource_group)

# Tests that need what convergence does not provide (yet).  Each is
# reported as skipped ("Test disabled in conf").
SKIPPED=(
    # Nova (OS::Nova::Server, flavors) and Cinder volumes
    UpdateStackTest.test_stack_update_flavor_volume
    # Nova server with user_data (needs an image as well)
    UpdateStackTest.test_stack_update_with_replacing_userdata
)

log() { echo "heat-functional: $*" >&2; }

ensure_venv() {
    if [ ! -x "$HEAT_VENV/bin/python" ]; then
        log "creating $HEAT_VENV (openstack-heat 27.0.1, tempest, heat-tempest-plugin)"
        python3 -m venv "$HEAT_VENV"
        "$HEAT_VENV/bin/pip" install -q openstack-heat==27.0.1
    fi
    if ! "$HEAT_VENV/bin/python" -c 'import heat_integrationtests' 2>/dev/null; then
        "$HEAT_VENV/bin/pip" install -q openstack-heat==27.0.1
    fi
    if ! "$HEAT_VENV/bin/python" -c 'import tempest, heat_tempest_plugin, stestr' 2>/dev/null; then
        log "adding tempest, heat-tempest-plugin and stestr to $HEAT_VENV"
        "$HEAT_VENV/bin/pip" install -q tempest heat-tempest-plugin stestr
    fi
}

server_command() {
    if [ -n "${CONVERGENCE_ALL:-}" ]; then
        echo "$CONVERGENCE_ALL"
    elif command -v convergence-all >/dev/null 2>&1; then
        command -v convergence-all
    else
        echo "python3 -c 'from convergence.cmd.all import main; main()'"
    fi
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

write_tempest_conf() {
    local skip
    skip=$(IFS=,; echo "${SKIPPED[*]}")
    cat > "$STATE/etc/tempest.conf" <<EOF
[DEFAULT]
log_file = $STATE/tempest.log

[service_available]
heat = True

[heat_plugin]
# With OS_NO_CLIENT_AUTH=True nothing authenticates; auth_url only has to
# be a valid URL and the credentials only have to be set.
auth_url = http://127.0.0.1:5000/v3
auth_version = 3
username = admin
password = unused
project_name = admin
admin_username = admin
admin_password = unused
admin_project_name = admin
user_domain_name = Default
project_domain_name = Default
region = RegionOne
convergence_engine_enabled = True
build_interval = 1
build_timeout = $BUILD_TIMEOUT
skip_functional_test_list = $skip
EOF
}

start_server() {
    PORT=$(free_port)
    log "starting convergence-all on port $PORT (log: $STATE/server.log)"
    # exec all the way down: SERVER_PID is the server itself
    (cd "$STATE" && eval "exec $(server_command) --port $PORT \
        --database-url sqlite:///$STATE/convergence.sqlite" \
        > "$STATE/server.log" 2>&1 < /dev/null) &
    SERVER_PID=$!
    for _ in $(seq 1 150); do
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
            log "convergence-all exited:"; tail -30 "$STATE/server.log" >&2
            return 1
        fi
        if curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$PORT/"; then
            return 0
        fi
        sleep 0.2
    done
    log "convergence-all did not answer within 30 s"; tail -30 "$STATE/server.log" >&2
    return 1
}

start_stock_heat_api() {
    log "starting heat-api in front of convergence-engines (log: $STATE/server.log)"
    (cd "$ROOT" && exec python3 -m functional_tests.stock_heat_api "$STATE/endpoint" \
        > "$STATE/server.log" 2>&1 < /dev/null) &
    SERVER_PID=$!
    STOP_TICKS=600
    for _ in $(seq 1 600); do
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
            log "the deployment exited:"; tail -30 "$STATE/server.log" >&2
            return 1
        fi
        if [ -s "$STATE/endpoint" ]; then
            HEAT_URL=$(cat "$STATE/endpoint")
            return 0
        fi
        sleep 0.2
    done
    log "the deployment was not up within 120 s"; tail -30 "$STATE/server.log" >&2
    return 1
}

stop_server() {
    [ -n "${SERVER_PID:-}" ] || return 0
    if kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        # a deployment stops its processes and drops its database and vhost
        for _ in $(seq 1 "${STOP_TICKS:-50}"); do
            kill -0 "$SERVER_PID" 2>/dev/null || break
            sleep 0.2
        done
        kill -KILL "$SERVER_PID" 2>/dev/null || true
    fi
    wait "$SERVER_PID" 2>/dev/null || true
}

cleanup() {
    stop_server
    if [ "${KEEP_STATE:-0}" = 1 ]; then
        log "state kept in $STATE"
    else
        rm -rf "$STATE"
    fi
}

ensure_venv
if [ -z "${CONVERGENCE_ALL:-}" ] && ! command -v convergence-all >/dev/null 2>&1; then
    export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"
fi
STATE=$(mktemp -d /tmp/convergence-heat-functional-XXXX)
trap cleanup EXIT
mkdir -p "$STATE/etc"
write_tempest_conf
case "${HEAT_FRONT:-convergence-all}" in
    convergence-all) start_server; HEAT_URL="http://127.0.0.1:$PORT/v1/admin" ;;
    stock-heat-api) start_stock_heat_api ;;
    *) log "HEAT_FRONT=$HEAT_FRONT: choose convergence-all or stock-heat-api"; exit 2 ;;
esac

SITE=$("$HEAT_VENV/bin/python" -c 'import os, heat_integrationtests as h; print(os.path.dirname(os.path.dirname(h.__file__)))')
FILTER="^heat_integrationtests\.functional\.($(IFS='|'; echo "${MODULES[*]}"))\."
export OS_NO_CLIENT_AUTH=True
export HEAT_URL
export TEMPEST_CONFIG_DIR="$STATE/etc" TEMPEST_CONFIG=tempest.conf
log "running ${MODULES[*]} against $HEAT_URL (concurrency $CONCURRENCY)"
set +e
(cd "$STATE" && "$HEAT_VENV/bin/stestr" --test-path "$SITE/heat_integrationtests/functional" \
    --top-dir "$SITE" run --concurrency "$CONCURRENCY" "${@:-$FILTER}")
rc=$?
set -e
if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    log "the server died during the run"; tail -30 "$STATE/server.log" >&2
    rc=1
fi
exit $rc
