#!/bin/bash
# plugin.sh - devstack plugin: convergence-engine in place of heat-engine,
# behind the heat-api of heat's plugin (enable_plugin heat first).
#
# stack.sh, unstack.sh and clean.sh source this at each phase with
# "$mode $phase"; it must run after heat's plugin at every one of them.

_XTRACE_CONVERGENCE_PLUGIN=$(set +o | grep xtrace)
set -o xtrace

# shellcheck source-path=SCRIPTDIR source=lib/convergence
source "$(dirname "${BASH_SOURCE[0]}")/lib/convergence"

if is_service_enabled conv-eng; then
    if [[ "$1" == "stack" && "$2" == "pre-install" ]]; then
        echo_summary "Checking the convergence deployment"
        check_convergence_deployment

    elif [[ "$1" == "stack" && "$2" == "install" ]]; then
        echo_summary "Installing convergence"
        stack_install_service convergence

    elif [[ "$1" == "stack" && "$2" == "post-config" ]]; then
        echo_summary "Configuring convergence"
        configure_convergence

    elif [[ "$1" == "stack" && "$2" == "extra" ]]; then
        echo_summary "Initializing and starting convergence-engine"
        init_convergence
        start_convergence

    elif [[ "$1" == "stack" && "$2" == "test-config" ]]; then
        if is_service_enabled tempest; then
            echo_summary "Configuring Heat's functional tests for convergence"
            configure_tempest_for_convergence
        fi
    fi

    if [[ "$1" == "unstack" ]]; then
        stop_convergence
    fi

    if [[ "$1" == "clean" ]]; then
        cleanup_convergence
    fi
fi

$_XTRACE_CONVERGENCE_PLUGIN
