"""OS::Heat::MultipartMime: parts assembled into one MIME multipart message,
stored as a software config (cloud-init's user_data format).

A part's ``config`` is its text, or the id of a software config of the
same tenant whose ``config`` is then the text (an id that names none is
taken as text, as in Heat).  A part of type ``multipart`` contributes each
of its own message's parts.
"""

import email
import os
from email.mime import multipart

from oslo_utils import uuidutils

from convergence import exceptions
from convergence.resources import constraints as constr
from convergence.resources.nova import cloud_init
from convergence.resources.properties import LIST, MAP, STRING, Schema
from convergence.resources.software_config import (CONFIG, GROUP,
                                                   GROUP_SCHEMA,
                                                   SoftwareConfig)
from convergence.software_config import configs

PARTS, FILENAME, TYPE, SUBTYPE = 'parts', 'filename', 'type', 'subtype'
TEXT, MULTIPART = 'text', 'multipart'


def _append_part(subparts: list, part: str, subtype: str,
                 filename: str) -> None:
    if not subtype and filename:
        subtype = os.path.splitext(filename)[0]
    subparts.append(cloud_init.part(part, filename, subtype))


def _append_multiparts(subparts: list, message_text: str) -> None:
    message = email.message_from_string(message_text)
    if not message or not message.is_multipart():
        return
    for part in message.get_payload():
        _append_part(subparts, part.get_payload(),
                     part.get_content_subtype(), part.get_filename())


def assemble(parts: list[dict], lookup) -> str:
    """The multipart message of ``parts``; ``lookup(id)`` gives the text of
    the config an id names, or None."""
    subparts = []
    for item in parts:
        part = item[CONFIG]
        if uuidutils.is_uuid_like(part):
            found = lookup(part)
            if found is not None:
                part = found
        if item.get(TYPE) == MULTIPART:
            _append_multiparts(subparts, part)
        else:
            _append_part(subparts, part, item.get(SUBTYPE) or '',
                         item.get(FILENAME) or '')
    return multipart.MIMEMultipart(_subparts=subparts).as_string()


class MultipartMime(SoftwareConfig):
    """Parts, inline or from other configs, as one multipart message."""

    properties_schema = {
        GROUP: GROUP_SCHEMA,
        PARTS: Schema(
            LIST, 'Parts belonging to this message.', default=[],
            schema=Schema(MAP, schema={
                CONFIG: Schema(STRING, 'Content of the part, inline or the '
                               'id of another software config.',
                               required=True),
                FILENAME: Schema(STRING, 'Optional filename of the part.'),
                TYPE: Schema(STRING, 'Whether the part is text or multipart.',
                             default=TEXT,
                             constraints=[constr.AllowedValues(
                                 [TEXT, MULTIPART])]),
                SUBTYPE: Schema(STRING, 'Optional subtype of the type.')})),
    }
    support_version = '2014.1'

    def _config_text(self, config_id: str):
        try:
            return configs.get(self._store(), self.context.tenant,
                               config_id)['config']['config']
        except exceptions.NotFound:
            return None

    def config_values(self) -> dict:
        return {'group': self.properties[GROUP],
                'config': assemble(self.properties[PARTS],
                                   self._config_text)}
