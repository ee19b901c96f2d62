"""Cinder's resource types, natively on openstacksdk (decision 22):
``volume`` and ``volume_attachment`` (attached through Nova, as Heat
does), with Heat 27's property and attribute names."""
