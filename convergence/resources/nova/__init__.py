"""Nova's resource types, natively on openstacksdk (decision 22).

``server`` (with ``server_body``: its properties to Nova's request, and
``server_update``: resize, rebuild and the rest of an in-place update),
``keypair``, ``flavor`` and ``server_group``, with Heat 27's property and
attribute names.
"""
