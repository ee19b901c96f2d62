"""What each resource type keeps on its row, from Heat's resource_data.

Pure.  Our built-in types keep Heat's keys (a RandomString's ``value``, a
TestResource's ``value``, a None's ``is_placeholder``), so Heat's data
comes over as it is, redacted values decrypted.  A ResourceGroup also
keeps the names of its members and their reference ids, which Heat reads
off its child stack each time: they are taken from the child here.  Types
whose data we cannot rebuild are refused by name (``UNMAPPED``).
"""

from convergence.importing import heat_crypt
from convergence.resources import resource_group

# Types we have a plugin for whose row data has no counterpart in Heat's:
# the reason they are refused.
UNMAPPED = {
    'OS::Heat::AutoScalingGroup': 'its members and cooldown are kept apart '
                                  'from Heat\'s resource data',
    'OS::Heat::ScalingPolicy': 'its cooldown and signal URLs are kept apart '
                               'from Heat\'s resource data',
    'OS::Heat::WaitConditionHandle': 'its signals are kept in its data, '
                                     'Heat\'s in its resource metadata, '
                                     'and its token is not a Keystone '
                                     'token',
    'OS::Heat::UpdateWaitConditionHandle': 'its signals are kept in its '
                                           'data, Heat\'s in its resource '
                                           'metadata',
    'OS::Heat::WaitCondition': 'the signals it read are kept in its data, '
                               'which Heat\'s does not have',
}
GROUP_TYPE = 'OS::Heat::ResourceGroup'


def decrypted(rows: list[dict], key: str) -> dict:
    """Heat's resource_data rows as one dict, redacted values decrypted.

    Raises:
        heat_crypt.DecryptionFailed: a redacted value does not decrypt.
    """
    data = {}
    for row in rows:
        value = row['value']
        if row['redact']:
            value = heat_crypt.decrypt(row['decrypt_method'], value, key)
        data[row['key']] = value
    return data


def group_data(data: dict, member_refs: dict[str, str]) -> dict:
    """A ResourceGroup's row data: Heat's, plus its child's members (in
    order) and their reference ids (``member_refs``, name -> ref)."""
    names = sorted(member_refs, key=resource_group.name_order)
    return dict(data, **{
        resource_group.MEMBERS_KEY: names,
        resource_group.REFS_KEY: {n: member_refs[n] for n in names}})
