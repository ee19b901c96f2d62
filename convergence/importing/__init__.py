"""Bringing an upstream Heat 27.0.1 database's stacks over (import-heat).

``heat_source`` reads Heat's tables into plain dicts (the only module here
that talks to Heat's database); ``trees`` groups the stacks by their root;
``refusals`` says why a tree cannot come over; ``rows`` maps Heat's rows to
ours (states, templates, events); ``resource_data`` maps what each type
keeps on its row; ``attributes`` computes the attribute caches our engine
keeps; ``plan`` puts a whole tree together and ``command`` runs an import
(or a dry run) tree by tree, each tree in one transaction (db/imports.py).
"""
