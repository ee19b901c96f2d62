"""Persistence: SQLAlchemy models, the query API with its compare-and-swap helpers, migrations."""
