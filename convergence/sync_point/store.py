"""Reporting to sync points in the database (the SQL stays in db/)."""

from convergence.sync_point.routes import Routes


def report(db, stack_id: str, traversal_id: str, routes: Routes) -> dict:
    """Record a finished node's reports to all its joins at once.

    Returns {(entity_id, is_update): inputs} for the joins this completed:
    exactly one reporter, the one that takes a join's count to zero, reads
    every sender's data.  One transaction instead of one per join;
    duplicate reports and joins of a superseded traversal complete nothing.
    """
    return db.sync_points_report(stack_id, traversal_id, routes.sender,
                                 list(routes.reports))


def release_and_report(db, lock, row: dict, values: dict, stack_id: str,
                       traversal_id: str, routes: Routes) -> dict | None:
    """Release ``row`` (as ``lock.release``) and report, both at once.

    Returns the joins completed (as ``report``), or None if the lock was
    taken from this engine (as ``lock.release``'s False).  Usually one
    transaction; with a trigger parked on the row, or a report that needs a
    transaction of its own (a duplicate, a superseded join), the release and
    the reports go one after the other.
    """
    expected, released = lock.release_swap(row, values)
    completed = db.resource_release_reporting(
        row['id'], expected, released, stack_id, traversal_id,
        routes.sender, list(routes.reports))
    if completed is not None:
        row.update(released)
        return completed
    if not lock.release(row, values):
        return None
    return report(db, stack_id, traversal_id, routes)


def stamp_and_report(db, lock, row: dict, traversal_id: str, values: dict,
                     stack_id: str, routes: Routes) -> dict | None:
    """Lock ``row``, write ``values``, release it and report, all at once.

    For a node with nothing to act on.  Returns the joins completed (as
    ``report``), or None when nothing was written (the row is locked or
    changed, the traversal moved on, or a report needs a transaction of
    its own): the caller then goes the long way, lock and release.
    """
    stamped = lock.stamp(row, values)
    completed = db.resource_stamp_reporting(
        row, traversal_id, stamped, stack_id, routes.sender,
        list(routes.reports))
    if completed is not None:
        row.update(stamped)
    return completed
