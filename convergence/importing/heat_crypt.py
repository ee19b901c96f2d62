"""Reading what Heat encrypted with its ``auth_encryption_key``.

Heat 27 encrypts redacted resource data (a RandomString's value, say) with
Fernet, keyed by its ``auth_encryption_key`` (``cryptography_decrypt_v1``).
Older Heats' AES method (``oslo_decrypt_v1``) is refused by name: Heat's
own upgrade re-encrypts it.
"""

import base64

from cryptography import fernet

# heat.conf's default [DEFAULT] auth_encryption_key.
HEAT_DEFAULT_KEY = 'notgood but just long enough i t'
FERNET_METHOD = 'cryptography_decrypt_v1'


class DecryptionFailed(Exception):
    """The value cannot be read: wrong key or a method we do not read."""


def fernet_key(auth_encryption_key: str) -> bytes:
    """Heat's Fernet key: the first 32 characters of the key, a shorter
    key doubled first (Heat's backward-compatible length)."""
    key = auth_encryption_key
    if len(key) < 32:
        key = key * 2
    return base64.b64encode(key[:32].encode('utf-8'))


def decrypt(method: str | None, value: str | None,
            auth_encryption_key: str) -> str | None:
    """The clear text of a value Heat stored with ``method``.

    Raises:
        DecryptionFailed: naming the method or saying the key is wrong.
    """
    if value is None:
        return None
    if method != FERNET_METHOD:
        raise DecryptionFailed(
            'values encrypted with %s cannot be read (only %s): run the '
            'Heat 27 engine once to re-encrypt them' % (method, FERNET_METHOD))
    try:
        clear = fernet.Fernet(fernet_key(auth_encryption_key)).decrypt(
            value.encode('utf-8'))
    except (fernet.InvalidToken, ValueError):
        raise DecryptionFailed(
            'a value encrypted by Heat does not decrypt with the '
            'auth_encryption_key given (--heat-auth-encryption-key)')
    return clear.decode('utf-8')
