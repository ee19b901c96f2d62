"""Cinder's resource types, natively on openstacksdk (decision 22):
``volume``, ``volume_attachment`` (attached through Nova, as Heat does),
``volume_type`` and ``encrypted_volume_type``, with Heat 27's property and
attribute names."""
