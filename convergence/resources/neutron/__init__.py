"""Neutron's resource types, natively on openstacksdk (decision 22).

``base``: what every Neutron type shares (Heat's NeutronResource: properties
to request bodies, status polling, gone-on-delete, check, show); one module
per type, with Heat 27's property and attribute names.
"""
