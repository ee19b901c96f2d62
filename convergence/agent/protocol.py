"""Heat's heat-config protocol as data: what the agent reads and sends.

os-collect-config stores each collected document as a JSON file and runs its
command with ``OS_CONFIG_FILES`` naming them (colon separated). The document
of a server's metadata (Heat's ``metadata_software_deployments`` shape) has a
``deployments`` list of derived configs: ``id``, ``name``, ``group``,
``config``, ``options``, ``inputs`` (``{name, value, type, description}``,
including Heat's ``deploy_*`` inputs) and ``outputs`` (``{name, ...}``).

The result of a deployment action goes back as one JSON object, the body
heat-config-notify sends: ``deploy_stdout``, ``deploy_stderr``,
``deploy_status_code`` and one key per output the hook collected. Pure: no
I/O here beyond parsing strings the caller read.
"""

import dataclasses
import json
from collections.abc import Iterable, Mapping

DEPLOYMENTS_KEY = 'deployments'

# Heat's deploy_* input names.
DEPLOY_ACTION = 'deploy_action'
DEPLOY_SIGNAL_TRANSPORT = 'deploy_signal_transport'
DEPLOY_SIGNAL_ID = 'deploy_signal_id'
DEPLOY_SIGNAL_VERB = 'deploy_signal_verb'
DEPLOY_STACK_ID = 'deploy_stack_id'
DEPLOY_RESOURCE_NAME = 'deploy_resource_name'
# The Keystone credentials Heat gives a HEAT_SIGNAL deployment (the stack
# user's), and the deployment's resource, by the names heat_signal uses.
HEAT_SIGNAL_INPUTS = {
    'auth_url': 'deploy_auth_url', 'user_id': 'deploy_user_id',
    'password': 'deploy_password', 'project_id': 'deploy_project_id',
    'stack_id': DEPLOY_STACK_ID, 'resource_name': DEPLOY_RESOURCE_NAME}
DEPLOY_REGION_NAME = 'deploy_region_name'

# The result keys every hook returns.
STDOUT, STDERR, STATUS_CODE = ('deploy_stdout', 'deploy_stderr',
                               'deploy_status_code')

# Heat's signal transports, and the HTTP verb each URL transport uses when
# the deployment does not name one in deploy_signal_verb.
CFN_SIGNAL, TEMP_URL_SIGNAL, HEAT_SIGNAL, NO_SIGNAL, ZAQAR_SIGNAL = (
    'CFN_SIGNAL', 'TEMP_URL_SIGNAL', 'HEAT_SIGNAL', 'NO_SIGNAL',
    'ZAQAR_SIGNAL')
URL_TRANSPORT_VERBS = {CFN_SIGNAL: 'POST', TEMP_URL_SIGNAL: 'PUT'}

# heat-config-notify keeps a signal under Heat's max_json_body_size
# (1048576) by cutting the start of stdout and stderr; the same bound.
MAX_SIGNAL_SIZE = 950000

# The action of a deployment whose inputs do not say (Heat always does).
DEFAULT_ACTION = 'CREATE'


class ProtocolError(ValueError):
    """A collected document or deployment the agent cannot act on."""


@dataclasses.dataclass(frozen=True)
class Deployment:
    """One derived config of a server's metadata: one deployment action."""

    id: str
    name: str
    group: str
    config: object
    inputs: tuple
    outputs: tuple
    options: object = None

    @property
    def input_values(self) -> dict:
        return {i['name']: i.get('value') for i in self.inputs}

    @property
    def action(self) -> str:
        return str(self.input_values.get(DEPLOY_ACTION) or DEFAULT_ACTION)

    @property
    def output_names(self) -> list[str]:
        return [o['name'] for o in self.outputs]

    def as_dict(self) -> dict:
        return {'id': self.id, 'name': self.name, 'group': self.group,
                'config': self.config, 'options': self.options,
                'inputs': list(self.inputs), 'outputs': list(self.outputs)}


def read_config_files(texts: Iterable[str]) -> dict:
    """Merge the collected documents, later files winning per top-level key.

    That is the order os-collect-config lists its collectors in and the
    precedence os-apply-config gives them. A file that is not a JSON object
    (os-collect-config also stores each ungrouped deployment's config on its
    own) contributes nothing.
    """
    merged = {}
    for text in texts:
        try:
            document = json.loads(text)
        except ValueError:
            continue
        if isinstance(document, dict):
            merged.update(document)
    return merged


def deployments(document: Mapping) -> tuple[list[Deployment], list[str]]:
    """The deployments of a merged metadata document, in its order, and
    what is wrong with each entry that is not one.

    An entry without an id and a list of named inputs has nothing to key
    the work by and no signal target: it is named in the second list, and
    the others are still taken. Raises ProtocolError when ``deployments``
    is not a list at all.
    """
    entries = document.get(DEPLOYMENTS_KEY) or []
    if not isinstance(entries, list):
        raise ProtocolError('"%s" is %s, not a list'
                            % (DEPLOYMENTS_KEY, type(entries).__name__))
    found, errors = [], []
    for index, entry in enumerate(entries):
        try:
            found.append(_deployment(index, entry))
        except ProtocolError as e:
            errors.append(str(e))
    return found, errors


def _deployment(index: int, entry) -> Deployment:
    where = 'deployment #%d' % index
    if not isinstance(entry, dict) or not entry.get('id'):
        raise ProtocolError('%s has no id' % where)
    inputs = _named_list(entry.get('inputs'), '%s inputs' % where)
    outputs = _named_list(entry.get('outputs'), '%s outputs' % where)
    return Deployment(id=str(entry['id']), name=str(entry.get('name') or ''),
                      group=str(entry.get('group') or 'Heat::Ungrouped'),
                      config=entry.get('config'), inputs=tuple(inputs),
                      outputs=tuple(outputs), options=entry.get('options'))


def _named_list(items, what: str) -> list:
    items = items or []
    if not isinstance(items, list) or not all(
            isinstance(i, dict) and isinstance(i.get('name'), str)
            for i in items):
        raise ProtocolError('%s are not a list of {name, ...} maps' % what)
    return items


def env_value(value) -> str:
    """An input's value as an environment variable, as the script hook has
    it: lists and maps as JSON, None as the empty string, the rest as
    ``str``."""
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return '' if value is None else str(value)


def input_environment(deployment: Deployment) -> dict[str, str]:
    """Every input (Heat's deploy_* ones too) as an environment variable."""
    return {name: env_value(value)
            for name, value in deployment.input_values.items()}


@dataclasses.dataclass(frozen=True)
class SignalTarget:
    """Where and how a deployment action's result goes: a URL and a verb,
    or (HEAT_SIGNAL) the credentials and resource of HEAT_SIGNAL_INPUTS
    plus ``region_name``."""

    transport: str
    url: str | None = None
    verb: str | None = None
    auth: Mapping | None = None


class UnsupportedTransport(ProtocolError):
    """A transport this agent does not deliver by (it names it)."""


def signal_target(deployment: Deployment) -> SignalTarget:
    """The transport of a deployment and what it needs to deliver.

    The transport is deploy_signal_transport; without it, as
    heat-config-notify decides: a deploy_signal_id means a URL signal, no
    signal otherwise. Raises UnsupportedTransport for ZAQAR_SIGNAL and any
    unknown name, and ProtocolError naming the inputs a transport lacks.
    """
    values = deployment.input_values
    url = values.get(DEPLOY_SIGNAL_ID)
    transport = values.get(DEPLOY_SIGNAL_TRANSPORT)
    if not transport:
        transport = CFN_SIGNAL if url else NO_SIGNAL
    if transport == NO_SIGNAL:
        return SignalTarget(NO_SIGNAL)
    if transport == HEAT_SIGNAL:
        return _heat_signal_target(values)
    if transport not in URL_TRANSPORT_VERBS:
        raise UnsupportedTransport(
            'signal transport %s is not supported by this agent (it signals '
            'by %s, or not at all with %s)' % (
                transport, ', '.join(sorted(SUPPORTED_TRANSPORTS)),
                NO_SIGNAL))
    if not url:
        raise ProtocolError('signal transport %s but no %s input'
                            % (transport, DEPLOY_SIGNAL_ID))
    verb = values.get(DEPLOY_SIGNAL_VERB) or URL_TRANSPORT_VERBS[transport]
    return SignalTarget(transport, str(url), str(verb).upper())


def _heat_signal_target(values: Mapping) -> SignalTarget:
    missing = [i for i in HEAT_SIGNAL_INPUTS.values() if not values.get(i)]
    if missing:
        raise ProtocolError('signal transport %s lacks the inputs %s' % (
            HEAT_SIGNAL, ', '.join(missing)))
    auth = {key: str(values[name])
            for key, name in HEAT_SIGNAL_INPUTS.items()}
    auth['region_name'] = values.get(DEPLOY_REGION_NAME) or None
    return SignalTarget(HEAT_SIGNAL, verb='POST', auth=auth)


SUPPORTED_TRANSPORTS = tuple(URL_TRANSPORT_VERBS) + (HEAT_SIGNAL,)


def result(stdout: str, stderr: str, status_code: int,
           outputs: Mapping[str, str] | None = None) -> dict:
    """A hook's result: the outputs it collected and the three deploy_*."""
    body = dict(outputs or {})
    body.update({STDOUT: stdout, STDERR: stderr, STATUS_CODE: status_code})
    return body


def signal_body(body: Mapping, limit: int = MAX_SIGNAL_SIZE) -> bytes:
    """The JSON a signal carries, the start of stdout and stderr cut (each
    in proportion to its encoded size) when the whole would exceed
    ``limit``."""
    body = dict(body)
    encoded = json.dumps(body).encode()
    excess = len(encoded) - limit
    logs = [k for k in (STDOUT, STDERR) if isinstance(body.get(k), str)]
    sizes = {k: len(json.dumps(body[k])) for k in logs}
    total = sum(sizes.values())
    if excess <= 0 or not total:
        return encoded
    for key in logs:
        share = -(-excess * sizes[key] // total)  # ceil: never short
        body[key] = _cut_start(body[key], sizes[key] - share)
    return json.dumps(body).encode()


def _cut_start(text: str, size: int) -> str:
    """The longest end of ``text`` whose JSON is at most ``size`` bytes."""
    low, high = 0, len(text)   # the shortest cut that fits is in [low, high]
    while low < high:
        middle = (low + high) // 2
        if len(json.dumps(text[middle:])) <= size:
            high = middle
        else:
            low = middle + 1
    return text[low:]
