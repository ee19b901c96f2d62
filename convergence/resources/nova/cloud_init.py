"""The cloud-init multipart user_data Heat's servers boot with (pure).

Heat's nova client plugin ``build_userdata`` in two of its formats:

- SOFTWARE_CONFIG (``software_config``, OS::Nova::Server): a cloud-config,
  the part handler, the user's parts (each part of a multipart user_data,
  else the whole as one) and the server's metadata as ``cfn-init-data``;
- HEAT_CFNTOOLS (``cfntools``, AWS::EC2::Instance): a cloud-config making
  the instance's user, a boothook making it where cloud-init does not,
  the part handler, the template's UserData as ``cfn-userdata``, a script
  running it with its output logged (Heat's loguserdata) and the
  resource's template Metadata as ``cfn-init-data`` (what cfn-init reads).
  Heat's two parts pointing at heat-api-cfn (``cfn-metadata-server`` and
  ``cfn-boto-cfg``) are left out: no CFN API is served here (decision 31),
  so cfn-hup has nothing to poll and cfn-init works from the boot-time
  metadata.

The part handler (ours) writes each ``text/x-cfninitdata`` part to
``/var/lib/heat-cfntools/<filename>``, where heat-cfntools and
os-collect-config read them.
"""

import email
import json
from email.mime import multipart
from email.mime import text as mime_text

CFNTOOLS_DIR = '/var/lib/heat-cfntools'
CLOUD_CONFIG = '#cloud-config\n'
PART_HANDLER = '''#part-handler
"""Write each text/x-cfninitdata part to %(dir)s/."""
import os

DIRECTORY = '%(dir)s'


def list_types():
    return ['text/x-cfninitdata']


def handle_part(data, ctype, filename, payload):
    if ctype == '__begin__':
        os.makedirs(DIRECTORY, mode=0o700, exist_ok=True)
    elif ctype == 'text/x-cfninitdata':
        with open(os.path.join(DIRECTORY, filename), 'w') as out:
            out.write(payload)
''' % {'dir': CFNTOOLS_DIR}

# Runs the template's UserData once the part handler wrote it (Heat's
# loguserdata.py): its output goes to heat-provision.log, and
# provision-finished tells cfn tools (and a person) that it ran through.
RUN_USER_DATA = '''#!/bin/sh
script=%(dir)s/cfn-userdata
chmod 0700 "$script"
"$script" >> /var/log/heat-provision.log 2>&1
status=$?
if [ "$status" -eq 0 ]; then
    date > %(dir)s/provision-finished
fi
exit "$status"
''' % {'dir': CFNTOOLS_DIR}

# cloud-init releases that ignore the cloud-config's ``user`` (Ubuntu
# 12.04's 0.6.3) get the user from a boothook; it must always succeed.
MAKE_USER = '''#!/bin/sh
if ! id -u %(user)s >/dev/null 2>&1; then
    useradd -m %(user)s
    echo '%(user)s ALL=(ALL) NOPASSWD: ALL' > /etc/sudoers.d/%(user)s
fi
exit 0
'''


def software_config(content: str, metadata: dict) -> str:
    """Heat's SOFTWARE_CONFIG multipart around ``content``."""
    parts = [(CLOUD_CONFIG, 'cloud-config', 'cloud-config'),
             (PART_HANDLER, 'part-handler.py', 'part-handler')]
    given = email.message_from_string(content) if content else None
    if given is not None and given.is_multipart():
        parts += [(part.get_payload(), part.get_filename(),
                   part.get_content_subtype())
                  for part in given.get_payload()]
    elif content:
        parts.append((content, '', None))
    parts.append((json.dumps(metadata), 'cfn-init-data', 'x-cfninitdata'))
    return message(parts)


def cfntools(user_data: str, metadata: dict | None, user: str) -> str:
    """Heat's HEAT_CFNTOOLS multipart for ``user_data``, the resource's
    template ``metadata`` (no part when empty) and the instance's
    ``user``."""
    parts = [(CLOUD_CONFIG + 'user: %s\n' % user, 'cloud-config',
              'cloud-config'),
             (MAKE_USER % {'user': user}, 'boothook.sh', 'cloud-boothook'),
             (PART_HANDLER, 'part-handler.py', 'part-handler'),
             (user_data or '', 'cfn-userdata', 'x-cfninitdata'),
             (RUN_USER_DATA, 'loguserdata.sh', 'x-shellscript')]
    if metadata:
        parts.append((json.dumps(metadata), 'cfn-init-data',
                      'x-cfninitdata'))
    return message(parts)


def message(parts: list[tuple]) -> str:
    """The multipart message of (body, filename, subtype) parts."""
    whole = multipart.MIMEMultipart()
    for body, filename, subtype in parts:
        whole.attach(part(body, filename, subtype))
    return whole.as_string()


def part(body: str, filename: str, subtype: str | None):
    """One text part: us-ascii when it can be, else utf-8; an attachment
    named ``filename`` when it has one."""
    try:
        body.encode('us-ascii')
        charset = 'us-ascii'
    except UnicodeEncodeError:
        charset = 'utf-8'
    part = (mime_text.MIMEText(body, _subtype=subtype, _charset=charset)
            if subtype else mime_text.MIMEText(body, _charset=charset))
    if filename:
        part.add_header('Content-Disposition', 'attachment',
                        filename=filename)
    return part
