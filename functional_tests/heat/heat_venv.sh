# Sourced by run.sh and cloud_run.sh (which set HEAT_VENV and define log):
# ensure_venv makes HEAT_VENV hold openstack-heat 27.0.1 (its
# heat_integrationtests), tempest, heat-tempest-plugin and stestr,
# installing (additively) only what is missing.
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

