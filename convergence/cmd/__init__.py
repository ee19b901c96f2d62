"""Console entry points.

Only here is eventlet allowed to monkey-patch the standard library: the
engine runs every resource node on a green thread.  Importing the library
itself never patches anything.
"""

import eventlet

eventlet.monkey_patch()
