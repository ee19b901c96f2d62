#!/usr/bin/env bash
# Heat's own functional tests (every module of heat_integrationtests.functional,
# shipped in the openstack-heat 27.0.1 wheel, then PLUGIN_MODULES and the
# PLUGIN_API_FILES API tests of heat-tempest-plugin's) against a fresh convergence-all,
# or three engines on RabbitMQ and a database, without Keystone:
# OS_NO_CLIENT_AUTH=True plus HEAT_URL (reference doc §5.2).  Ends with how
# the run compares with upstream Heat here (upstream-passes.txt).
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
#   HEAT_FUNCTIONAL_DEPLOYMENT   all (one convergence-all, default), mariadb or
#                    postgresql (3 convergence-engines + convergence-api on a
#                    private RabbitMQ vhost and database), or stock-heat-api
#                    (upstream heat-api from HEAT_VENV in front of 2
#                    convergence-engines on RabbitMQ and MariaDB)
#   BUILD_TIMEOUT    [heat_plugin] build_timeout in seconds (default 200)
#   KEEP_STATE=1     keep the temp dir (server log, tempest.conf, stestr repo)
# exit status: non-zero when a test fails or the server cannot start.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
ANCHORS=${ACCEPT_ANCHORS:-$HOME/.cache/convergence-acceptance}
HEAT_VENV=${HEAT_VENV:-$ANCHORS/heat-ref-venv}
CONCURRENCY=${HEAT_FUNCTIONAL_CONCURRENCY:-4}
BUILD_TIMEOUT=${BUILD_TIMEOUT:-200}
DEPLOYMENT=${HEAT_FUNCTIONAL_DEPLOYMENT:-all}
case "$DEPLOYMENT" in
    all|mariadb|postgresql|stock-heat-api) ;;
    *) echo "HEAT_FUNCTIONAL_DEPLOYMENT=$DEPLOYMENT: choose all, mariadb, postgresql or stock-heat-api" >&2; exit 2 ;;
esac

# Modules of heat-tempest-plugin's functional tests (same [heat_plugin]
# configuration), run after those of heat_integrationtests.
# test_os_wait_condition needs Nova, Glance and Neutron (its server sends
# the signals): it is skipped here.  test_waitcondition (Zaqar signals) is
# not loaded: its decorators ask Keystone's catalog at import time.
PLUGIN_MODULES=(test_hooks test_os_wait_condition)
# heat-tempest-plugin's API tests (gabbi files of tests/api/gabbits), run
# last, by plugin_api_tests.py: the plugin's own loader needs Keystone for
# the endpoint and a token.  Upstream Heat 27.0.1 passes all ten of
# softwareconfig here.
PLUGIN_API_FILES=(softwareconfig)

# Every module of heat_integrationtests.functional runs.  The tests below
# need what this machine does not have; each is skipped ("Test disabled in
# conf") and listed with its reason at the start of the run.  Upstream Heat
# 27.0.1 fails or skips every one of them here too (upstream-passes.txt
# holds the tests it passes here: each must pass against us).
declare -A NEEDS=(
    [AwsStackTest]="Swift (object-store) for the nested TemplateURL, and Keystone's catalog"
    [ServiceBasedExposureTest]="Keystone's service catalog"
    [UpdateStackTest.test_stack_update_flavor_volume]="Nova and Cinder"
    [UpdateStackTest.test_stack_update_with_replacing_userdata]="Nova and Glance"
    [CreateUserTest]="Keystone"
    [NotificationTest]="[oslo_messaging_rabbit] rabbit_userid, an option oslo.messaging no longer has (the test reads it)"
    [ReplaceDeprecatedResourceTest]="Nova servers with software deployments, and Keystone"
    [SoftwareDeploymentGroupTest]="Keystone (the deployments' signal users)"
    [SwiftSignalHandleUpdateTest]="Swift"
    [TestTranslation]="Neutron and Keystone"
    [VersionNegotiationTestCase]="Keystone (it authenticates before asking)"
    # Upstream's own expectation: Heat 27.0.1 answers with a different
    # message (docs/architecture.md, decision 12).
    [ResourceGroupTest.test_resource_group_zero_novalidate]="a message neither Heat 27.0.1 nor we give"
)

log() { echo "heat-functional: $*" >&2; }

# ensure_venv: HEAT_VENV with Heat's tests, tempest and the plugin
# shellcheck source=functional_tests/heat/heat_venv.sh
. "$HERE/heat_venv.sh"

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
    skip=$(IFS=,; echo "${!NEEDS[*]}")
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

manage_command() {
    if command -v convergence-manage >/dev/null 2>&1; then
        command -v convergence-manage
    else
        echo "python3 -c 'from convergence.cmd.manage import main; main()'"
    fi
}

# Heat's gate enables the abandon and adopt features for its tests; so do we.
SERVER_OPTIONS=(enable_stack_abandon=true enable_stack_adopt=true)

write_server_conf() {
    cat > "$STATE/etc/convergence.conf" <<EOF
[DEFAULT]
$(printf '%s\n' "${SERVER_OPTIONS[@]}" | sed 's/=/ = /')

[database]
connection = sqlite:///$STATE/convergence.sqlite
EOF
}

# test_purge runs "heat-manage purge_deleted 0": an operator's heat-manage
# is convergence-manage (same commands, same arguments) on this database.
write_heat_manage() {
    mkdir -p "$STATE/bin"
    cat > "$STATE/bin/heat-manage" <<EOF
#!/bin/sh
exec $(manage_command) --config-file "$SERVER_CONF" "\$@"
EOF
    chmod +x "$STATE/bin/heat-manage"
}

# HEAT_FUNCTIONAL_DEPLOYMENT=mariadb|postgresql|stock-heat-api: engines and
# an API on a private RabbitMQ vhost and database
# (functional_tests/heat/deploy.py) instead of one convergence-all.
start_deployment() {
    log "starting the $DEPLOYMENT deployment (engines and an API)"
    coproc DEPLOY { cd "$ROOT" && PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}" \
        exec python3 -m functional_tests.heat.deploy "$DEPLOYMENT" \
            "${SERVER_OPTIONS[@]}" 2> "$STATE/deploy.log"; }
    DEPLOY_PID=$DEPLOY_PID
    local endpoint config
    if ! read -r -t 180 endpoint config <&"${DEPLOY[0]}"; then
        log "the deployment did not start:"; tail -30 "$STATE/deploy.log" >&2
        return 1
    fi
    HEAT_URL=$endpoint
    SERVER_CONF=$config
}

stop_deployment() {
    [ -n "${DEPLOY_PID:-}" ] || return 0
    # closing its stdin stops every process and drops the vhost and database
    eval "exec ${DEPLOY[1]}>&-"
    wait "$DEPLOY_PID" 2>/dev/null || true
}

deployment_alive() {
    if [ -n "${DEPLOY_PID:-}" ]; then
        kill -0 "$DEPLOY_PID" 2>/dev/null
    else
        kill -0 "$SERVER_PID" 2>/dev/null
    fi
}

start_server() {
    PORT=$(free_port)
    HEAT_URL="http://127.0.0.1:$PORT/v1/admin"
    log "starting convergence-all on port $PORT (log: $STATE/server.log)"
    # exec all the way down: SERVER_PID is the server itself
    (cd "$STATE" && eval "exec $(server_command) --port $PORT \
        --config-file $STATE/etc/convergence.conf" \
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
    stop_deployment
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
write_server_conf
SERVER_CONF=$STATE/etc/convergence.conf
if [ "$DEPLOYMENT" = all ]; then
    start_server
else
    start_deployment
fi
write_heat_manage
export PATH="$STATE/bin:$PATH"

SITE=$("$HEAT_VENV/bin/python" -c 'import os, heat_integrationtests as h; print(os.path.dirname(os.path.dirname(h.__file__)))')
export OS_NO_CLIENT_AUTH=True
export HEAT_URL
export TEMPEST_CONFIG_DIR="$STATE/etc" TEMPEST_CONFIG=tempest.conf
for test in "${!NEEDS[@]}"; do
    log "skipped: $test needs ${NEEDS[$test]}"
done | sort >&2

# The plugin's modules are loaded by name, not discovered: discovery would
# import its other modules, whose decorators ask Keystone for the resource
# types at import time.  A regex among the arguments selects test ids of
# both suites; the plugin's run uses the first argument only, as a regex.
run_plugin() {
    local modules=() ids="$STATE/plugin/ids"
    for module in "${PLUGIN_MODULES[@]}"; do
        modules+=("heat_tempest_plugin.tests.functional.$module")
    done
    mkdir -p "$STATE/plugin"
    (cd "$STATE/plugin" && "$HEAT_VENV/bin/python" -m testtools.run --list \
        "${modules[@]}") | grep -E -- "${1:-.}" > "$ids" || true
    if [ ! -s "$ids" ]; then
        log "heat-tempest-plugin: no test selected"
        return 0
    fi
    log "heat-tempest-plugin: $(wc -l < "$ids") tests of ${PLUGIN_MODULES[*]}"
    (cd "$STATE/plugin" && "$HEAT_VENV/bin/stestr" init >/dev/null &&
        "$HEAT_VENV/bin/python" -m subunit.run --load-list "$ids" \
            "${modules[@]}" | "$HEAT_VENV/bin/stestr" load)
}

# The plugin's API tests whose id matches the first argument (a regex).
run_plugin_api() {
    local ids="$STATE/plugin-api/ids"
    mkdir -p "$STATE/plugin-api"
    # (a bash array cannot be exported: the loader reads a string)
    export PLUGIN_API_GABBITS="${PLUGIN_API_FILES[*]}"
    (cd "$STATE/plugin-api" && PYTHONPATH="$HERE" "$HEAT_VENV/bin/python" \
        -m testtools.run --list plugin_api_tests) | grep -E -- "${1:-.}" \
        > "$ids" || true
    if [ ! -s "$ids" ]; then
        log "heat-tempest-plugin API: no test selected"
        return 0
    fi
    log "heat-tempest-plugin API: $(wc -l < "$ids") tests of ${PLUGIN_API_FILES[*]}"
    (cd "$STATE/plugin-api" && "$HEAT_VENV/bin/stestr" init >/dev/null &&
        PYTHONPATH="$HERE" "$HEAT_VENV/bin/python" -m subunit.run \
            --load-list "$ids" plugin_api_tests | "$HEAT_VENV/bin/stestr" load)
}

set +e
INTEGRATION=(--test-path "$SITE/heat_integrationtests/functional" --top-dir "$SITE")
(cd "$STATE" && "$HEAT_VENV/bin/stestr" init >/dev/null)
if [ $# -gt 0 ] && ! (cd "$STATE" && "$HEAT_VENV/bin/stestr" "${INTEGRATION[@]}" \
        list "$@" | grep -q .); then
    log "heat_integrationtests: no test selected"
    rc=0
else
    log "running heat_integrationtests.functional against $HEAT_URL (concurrency $CONCURRENCY)"
    (cd "$STATE" && "$HEAT_VENV/bin/stestr" "${INTEGRATION[@]}" run \
        --concurrency "$CONCURRENCY" "${@:-^heat_integrationtests\.functional\.}")
    rc=$?
    # A failure of a test upstream fails here too does not count (three
    # scenarios of RoleBasedExposureTest need Keystone roles and Nova and
    # Cinder types; a skip list cannot name a scenario).
    (cd "$STATE" && "$HEAT_VENV/bin/stestr" last --subunit) | "$HEAT_VENV/bin/python" \
        "$HERE/upstream_report.py" "$HERE/upstream-passes.txt" \
        "$HERE/upstream-failures.txt" >&2
    # 0: nothing failed but what fails upstream; 1: something else failed;
    # 2: no test ran (stestr's own status stands).
    report_rc=$?
    [ $report_rc -eq 2 ] || rc=$report_rc
fi
run_plugin "$@"
plugin_rc=$?
[ $rc -ne 0 ] || rc=$plugin_rc
run_plugin_api "$@"
plugin_api_rc=$?
[ $rc -ne 0 ] || rc=$plugin_api_rc
set -e
if ! deployment_alive; then
    log "the server died during the run"
    tail -30 "$STATE/server.log" "$STATE/deploy.log" 2>/dev/null >&2
    rc=1
fi
exit $rc
