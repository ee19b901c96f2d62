"""Cloud clients from the stack's credentials (decision 22).

``options``: Heat's ``[clients]``, ``[clients_<name>]``, ``[trustee]``;
``sessions``: keystoneauth sessions from a request token or a trust;
``trusts``: delegating a stack creator's roles to the engine's user;
``catalog``: which services a token's catalog offers (pure);
``retry``: the transient errors a call is repeated on (pure);
``network``: Neutron through openstacksdk; ``clouds``: the engine's
``cloud_ports.Clouds``, clients cached per stack credential; ``memory``: the
in-memory twin of a cloud for unit and scenario tests.
"""
