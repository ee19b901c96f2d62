"""``python3 -m convergence.agent``: the same as convergence-heat-config."""

import sys

from convergence.agent import runner

sys.exit(runner.main())
