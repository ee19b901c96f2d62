#!/usr/bin/env bash
# Heat's functional tests with a real cloud under them: heat-tempest-plugin's
# functional suite (heat_tempest_plugin.tests.functional) and
# heat_integrationtests.functional, configured by a tempest.conf made for
# the local cloud (functional_tests/cloud/tempest_conf.py: image, flavors,
# networks, Keystone users).  docs/cloud-tests.md.
#
# usage: functional_tests/heat/cloud_run.sh [stestr regex]
# env:
#   CONV_CLOUD_OPENRC  a running cloud's openrc (else ours: tools/cloud start)
#   HEAT_CLOUD_ENGINE  ours (default): a convergence-all behind the cloud's
#                      Keystone, put into its catalog as orchestration for
#                      the run; upstream: Heat 27.0.1 from HEAT_VENV the same
#                      way (our own cloud only), the reference to compare
#                      with; catalog: the orchestration service the cloud's
#                      catalog has already (upstream Heat on minicloud, say)
#   HEAT_CLOUD_SUITES  plugin, integration or both (default)
#   HEAT_VENV          as for run.sh (heat_venv.sh)
#   HEAT_FUNCTIONAL_CONCURRENCY  parallel test workers (default 2)
#   KEEP_STATE=1       keep the temp dir (tempest.conf, logs, stestr repos)
# exit status: non-zero when a test failed or nothing could start.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
ANCHORS=${ACCEPT_ANCHORS:-$HOME/.cache/convergence-acceptance}
HEAT_VENV=${HEAT_VENV:-$ANCHORS/heat-ref-venv}
CONCURRENCY=${HEAT_FUNCTIONAL_CONCURRENCY:-2}
ENGINE=${HEAT_CLOUD_ENGINE:-ours}
SUITES=${HEAT_CLOUD_SUITES:-both}
case "$ENGINE" in ours|upstream|catalog) ;; *)
    echo "HEAT_CLOUD_ENGINE=$ENGINE: choose ours, upstream or catalog" >&2; exit 2 ;; esac
case "$SUITES" in plugin|integration|both) ;; *)
    echo "HEAT_CLOUD_SUITES=$SUITES: choose plugin, integration or both" >&2; exit 2 ;; esac

log() { echo "heat-functional-cloud: $*" >&2; }
# shellcheck source=functional_tests/heat/heat_venv.sh
. "$HERE/heat_venv.sh"
# python3 on PATH: tox's, or the venv a human activated
cloud() { (cd "$ROOT" && python3 -m functional_tests.cloud "$@"); }

STATE=$(mktemp -d /tmp/convergence-heat-cloud-XXXX)
mkdir -p "$STATE/etc"
cleanup() {
    if [ -n "${ENGINE_PID:-}" ]; then
        # closing its stdin takes it out of the catalog and stops it
        eval "exec ${ENGINE_IO[1]}>&-"
        wait "$ENGINE_PID" 2>/dev/null || true
    fi
    cloud after || true
    if [ "${KEEP_STATE:-0}" = 1 ]; then log "state kept in $STATE"; else rm -rf "$STATE"; fi
}
trap cleanup EXIT

ensure_venv
cloud start --unless-openrc
if [ "$ENGINE" != catalog ]; then
    options=()
    [ "$ENGINE" = ours ] && options=(enable_stack_abandon=true enable_stack_adopt=true)
    log "starting $ENGINE orchestration behind the cloud's Keystone (log: $STATE/engine.log)"
    coproc ENGINE_IO { cd "$ROOT" && exec python3 -m functional_tests.heat.cloud_engine \
        "$ENGINE" "${options[@]}" 2> "$STATE/engine.log"; }
    ENGINE_PID=$ENGINE_IO_PID
    if ! read -r -t 600 endpoint <&"${ENGINE_IO[0]}"; then
        log "the orchestration service did not start:"; tail -30 "$STATE/engine.log" >&2
        exit 1
    fi
    log "orchestration at $endpoint"
fi
cloud tempest-conf "$STATE/etc/tempest.conf" --log-file "$STATE/tempest.log"
export TEMPEST_CONFIG_DIR="$STATE/etc" TEMPEST_CONFIG=tempest.conf
SITE=$("$HEAT_VENV/bin/python" -c 'import os, heat_tempest_plugin as p; print(os.path.dirname(os.path.dirname(p.__file__)))')

# suite NAME TEST_PATH [stestr run args]: one suite, its own stestr repository
suite() {
    local name=$1 path=$SITE/$2
    shift 2
    mkdir -p "$STATE/$name"
    log "$name: $path (concurrency $CONCURRENCY)"
    (cd "$STATE/$name" && "$HEAT_VENV/bin/stestr" --test-path "$path" \
        --top-dir "$SITE" init >/dev/null &&
        "$HEAT_VENV/bin/stestr" --test-path "$path" --top-dir "$SITE" \
            run --concurrency "$CONCURRENCY" "$@")
}
set +e
rc=0
if [ "$SUITES" != integration ]; then
    suite plugin heat_tempest_plugin/tests/functional "$@"; rc=$?
fi
if [ "$SUITES" != plugin ]; then
    suite integration heat_integrationtests/functional "$@"; r=$?
    [ $rc -ne 0 ] || rc=$r
fi
set -e
exit $rc
