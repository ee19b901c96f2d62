"""Reporting to a sync point in the database."""


def report(db, stack_id: str, traversal_id: str, entity_id: str,
           is_update: bool, sender: str, data) -> dict | None:
    """Record ``sender``'s report; the completing reporter gets all inputs.

    Returns None unless this report completed the join (also for duplicate
    reports and for joins of a superseded traversal, which no longer exist).
    """
    return db.sync_point_report(stack_id, traversal_id, entity_id, is_update,
                                sender, data)


def report_many(db, stack_id: str, traversal_id: str, sender: str,
                reports: list[tuple[str, bool, object]]) -> dict:
    """Record ``sender``'s (entity_id, is_update, data) reports at once.

    Returns {(entity_id, is_update): inputs} for the joins this completed;
    one transaction instead of one per join.
    """
    return db.sync_points_report(stack_id, traversal_id, sender, reports)
