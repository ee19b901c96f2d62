"""The query API: every read and write the engine makes, on one database.

One module per concern holds its queries (db/templates.py, db/stacks.py,
db/resources.py, db/locks.py, db/joins.py, db/events.py, db/services.py,
db/snapshots.py, db/software_configs.py, db/user_creds.py,
and the operator's db/purge.py and db/imports.py),
all on the engine and transactions of db/core.py; :class:`Database` is all
of them together, the object the engine is given.  What each method
promises is stated by the ports it implements (convergence/ports.py).
"""

from db import core
from db import events
from db import imports
from db import locks
from db import purge
from db import resources
from db import services
from db import snapshots
from db import software_configs
from db import stacks
from db import templates
from db import user_creds

__all__ = ['Database', 'utcnow']

utcnow = core.utcnow


class Database(templates.Templates, stacks.Stacks, resources.Resources,
               locks.Locks, events.Events, services.Services,
               snapshots.Snapshots, software_configs.SoftwareConfigs,
               user_creds.UserCreds,
               purge.Purge, imports.Imports):
    """One database, reached through an oslo.db enginefacade.

    Satisfies convergence.ports.Database (checked by
    convergence/tests/unit/db/test_ports.py).
    """
