"""Nova's resource types, natively on openstacksdk (decision 22).

``server`` (with ``server_body``: its properties to Nova's request,
``server_update``: resize, rebuild and the rest of an in-place update,
``server_networks`` and ``server_interfaces``: its networks changed in
place),
``keypair``, ``flavor``, ``server_group`` and ``host_aggregate``, with Heat 27's property and
attribute names.
"""
