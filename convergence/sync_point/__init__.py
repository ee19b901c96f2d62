"""Sync points: where a node waits for more than one predecessor.

Only joins (in-degree > 1) and the stack itself have a sync point row; a
node with a single predecessor is triggered by that predecessor directly.
A report stores one row per sender (so a join costs O(in-degree) bytes and
a duplicate report is dropped by the primary key) and decrements the
join's pending count; exactly the reporter that takes it to zero receives
every sender's data and triggers the node.  ``routes`` says where a
finished node reports, ``store`` records the reports.
"""

from convergence.sync_point.routes import (NOWHERE, Report, Routes,
                                           graph_node, routes,
                                           stack_completed, triggers)
from convergence.sync_point.rules import needs_sync_point, trigger_data
from convergence.sync_point.store import (release_and_report, report,
                                          stamp_and_report)

__all__ = ['NOWHERE', 'Report', 'Routes', 'graph_node', 'needs_sync_point',
           'release_and_report', 'report', 'routes', 'stack_completed',
           'stamp_and_report', 'trigger_data', 'triggers']
