"""The OS::Keystone::* types (admin only, as in Heat), on Keystone's v3 API
(``clients.identity``)."""
