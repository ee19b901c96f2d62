"""Sync points: where a node waits for more than one predecessor.

Only joins (in-degree > 1) and the stack itself have a sync point row; a
node with a single predecessor is triggered by that predecessor directly.
A report stores one row per sender (so a join costs O(in-degree) bytes and
a duplicate report is dropped by the primary key) and decrements the
join's pending count; exactly the reporter that takes it to zero receives
every sender's data and triggers the node.
"""

from convergence.sync_point.rules import needs_sync_point, trigger_data
from convergence.sync_point.store import report, report_many

__all__ = ['needs_sync_point', 'report', 'report_many', 'trigger_data']
