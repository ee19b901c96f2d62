#!/bin/bash
# Runs convergence's devstack plugin (devstack/) as stack.sh, unstack.sh or
# clean.sh would, against stand-ins for devstack's helpers: each helper with
# an effect outside its files is recorded, one shell-quoted call a line, in
# $HARNESS_STATE/calls; iniset and iniget edit real ini files
# (ini_file.py); heat's plugin is played by the heat_* functions below,
# doing what its plugin.sh does at each phase that matters to ours.
#
# usage: harness.sh stack|unstack|clean
# env:   HARNESS_STATE   directory for every file written (etc/, units/, ...)
#        HARNESS_PYTHON  the python whose bin holds convergence-manage
#        DEST            devstack's DEST; $DEST/convergence is this repo
#        DEVSTACK_PLUGINS, ENABLED_SERVICES   as local.conf makes them
#        HARNESS_LATE_SERVICES  added to ENABLED_SERVICES after the settings
#        HARNESS_DATABASE_URL   printf template of database_connection_url's
#                        answer, %s the database name (default: a SQLite
#                        file in HARNESS_STATE)
#        HARNESS_TRANSPORT_URL  the transport_url heat's plugin writes
set -o errexit -o nounset -o pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MODE=$1
CALLS=$HARNESS_STATE/calls
UNITS=$HARNESS_STATE/units
mkdir -p "$HARNESS_STATE/etc" "$UNITS"

# devstack's globals the plugin reads
# shellcheck disable=SC2034 # read by the sourced plugin
{
    STACK_USER=$(id -un)
    DATABASE_BACKENDS=${DATABASE_BACKENDS:-mysql postgresql}
    TEMPEST_CONFIG=$HARNESS_STATE/etc/tempest/tempest.conf
    HEAT_CONF=$HARNESS_STATE/etc/heat/heat.conf
    CONVERGENCE_CONF_DIR=$HARNESS_STATE/etc/convergence
    DISABLED_SERVICES=
    SYSTEMCTL=devstack_systemctl
}

record() {
    local arg line=
    for arg in "$@"; do
        line+=$(printf '%q ' "$arg")
    done
    echo "${line% }" >> "$CALLS"
}

# Helpers that only record
echo_summary() { :; }
define_plugin() { :; }
plugin_requires() { record plugin_requires "$@"; }
setup_develop() { record setup_develop "$@"; }
recreate_database() { record recreate_database "$@"; }
warn() { record warn "$@"; }
die() {
    shift  # $LINENO
    record die "$*"
    echo "die: $*" >&2
    exit 1
}

# Helpers with devstack's semantics (functions-common, lib/stack, inc/python)
is_service_enabled() {
    local service
    for service in "$@"; do
        [[ ,${ENABLED_SERVICES}, =~ ,${service}, ]] && return 0
        if type "is_${service}_enabled" >/dev/null 2>&1 && "is_${service}_enabled"; then
            return 0
        fi
    done
    return 1
}
enable_service() {
    local service
    for service in "$@"; do
        if [[ ,${DISABLED_SERVICES}, =~ ,${service}, ]]; then
            warn $LINENO "Attempt to enable_service $service when it has been disabled"
        elif ! is_service_enabled "$service"; then
            ENABLED_SERVICES=${ENABLED_SERVICES:+$ENABLED_SERVICES,}$service
        fi
    done
}
disable_service() {
    local service enabled=",${ENABLED_SERVICES},"
    for service in "$@"; do
        DISABLED_SERVICES=${DISABLED_SERVICES:+$DISABLED_SERVICES,}$service
        enabled=${enabled//,$service,/,}
    done
    enabled=${enabled#,}
    ENABLED_SERVICES=${enabled%,}
}
stack_install_service() {
    record stack_install_service "$@"
    "install_$1"
}
get_python_exec_prefix() { dirname "$HARNESS_PYTHON"; }
database_connection_url() {
    # shellcheck disable=SC2059 # the template is the format
    printf "${HARNESS_DATABASE_URL:-sqlite:///$HARNESS_STATE/%s.sqlite}\n" "$1"
}
iniset() { "$HARNESS_PYTHON" "$HERE/ini_file.py" set "$@"; }
iniget() { "$HARNESS_PYTHON" "$HERE/ini_file.py" get "$@"; }
sudo() {
    record sudo "$@"
    "$@"
}
# run_process starts a devstack@NAME unit of an enabled service only
run_process() {
    if is_service_enabled "$1"; then
        record run_process "$@"
        touch "$UNITS/$1"
    fi
}
stop_process() {
    if is_service_enabled "$1"; then
        record stop_process "$@"
        rm -f "$UNITS/$1"
    fi
}
devstack_systemctl() {
    record systemctl "$@"
    local unit=${2#devstack@}
    unit=${unit%.service}
    case $1 in
        is-enabled) [[ -e $UNITS/$unit ]] ;;
        stop|disable) rm -f "$UNITS/$unit" ;;
    esac
}

# heat's devstack plugin, as far as ours depends on it
heat_settings() { enable_service h-eng h-api h-api-cfn; }
heat_phase() {
    case "$1 ${2:-}" in
        "stack post-config")  # cleanup_heat, then configure_heat
            rm -rf "$(dirname "$HEAT_CONF")"
            mkdir -p "$(dirname "$HEAT_CONF")"
            iniset "$HEAT_CONF" DEFAULT transport_url \
                "${HARNESS_TRANSPORT_URL:-rabbit://stackrabbit:secret@127.0.0.1:5672/}"
            iniset "$HEAT_CONF" oslo_messaging_notifications driver messagingv2
            iniset "$HEAT_CONF" database connection "$(database_connection_url heat)"
            iniset "$HEAT_CONF" DEFAULT num_engine_workers 2
            iniset "$HEAT_CONF" DEFAULT hidden_stack_tags hidden
            iniset "$HEAT_CONF" DEFAULT debug True ;;
        "stack extra")  # init_heat, then start_heat
            recreate_database heat
            run_process h-eng "heat-engine --config-file=$HEAT_CONF"
            run_process h-api "uwsgi --ini heat-api-uwsgi.ini"
            run_process h-api-cfn "uwsgi --ini heat-api-cfn-uwsgi.ini" ;;
        "stack test-config")  # configure_tempest_for_heat
            mkdir -p "$(dirname "$TEMPEST_CONFIG")"
            iniset "$TEMPEST_CONFIG" heat_plugin skip_functional_test_list NotificationTest
            iniset "$TEMPEST_CONFIG" heat_plugin username demo ;;
        "unstack ")
            stop_process h-api
            stop_process h-api-cfn
            stop_process h-eng ;;
    esac
}

# functions-common's load_plugin_settings and run_plugins
load_plugin_settings() {
    local plugin
    for plugin in ${DEVSTACK_PLUGINS//,/ }; do
        case $plugin in
            heat) heat_settings ;;
            convergence)
                # shellcheck source=/dev/null  # checked on its own
                source "$DEST/convergence/devstack/settings" ;;
        esac
    done
}
run_plugins() {
    local plugin
    for plugin in ${DEVSTACK_PLUGINS//,/ }; do
        case $plugin in
            heat) heat_phase "$@" ;;
            convergence)
                # shellcheck source=/dev/null  # checked on its own
                source "$DEST/convergence/devstack/plugin.sh" "$@" ;;
        esac
    done
}

load_plugin_settings
# services a later plugin's settings add to ENABLED_SERVICES directly
ENABLED_SERVICES+=${HARNESS_LATE_SERVICES:+,$HARNESS_LATE_SERVICES}
echo "$ENABLED_SERVICES" > "$HARNESS_STATE/enabled_services"
case $MODE in
    stack)
        for phase in pre-install install post-config extra test-config; do
            record phase "$phase"
            run_plugins stack "$phase"
        done ;;
    unstack|clean)
        run_plugins "$MODE" ;;
    *)
        echo "usage: harness.sh stack|unstack|clean" >&2
        exit 2 ;;
esac
