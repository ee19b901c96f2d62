"""The constraints that resource plugins put in their property schemas.

Parameters and properties share one set of constraints, in
``convergence.template.constraints``; this module gives plugins the names
they use under the resources package, next to ``properties``.
"""

from convergence.template.constraints import (  # noqa: F401 (re-exported)
    AllowedPattern, AllowedValues, ConstraintError, CustomConstraint, Length,
    Modulo, Range, register_custom_constraint)
