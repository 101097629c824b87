"""Every write to a programme goes through these functions (see plan.py and indicators.py)."""

from .indicators import (
    category_choices,
    indicator_create,
    indicator_period_create,
    indicator_period_update,
    indicator_update,
    indicator_value_review,
    indicator_value_submit,
)
from .plan import (
    activity_create,
    activity_update,
    agreement_create,
    agreement_update,
    component_create,
    component_update,
    objective_create,
    objective_update,
    programme_create,
    programme_role_grant,
    programme_role_revoke,
    programme_update,
)

__all__ = [
    "activity_create",
    "activity_update",
    "agreement_create",
    "agreement_update",
    "category_choices",
    "component_create",
    "component_update",
    "indicator_create",
    "indicator_period_create",
    "indicator_period_update",
    "indicator_update",
    "indicator_value_review",
    "indicator_value_submit",
    "objective_create",
    "objective_update",
    "programme_create",
    "programme_role_grant",
    "programme_role_revoke",
    "programme_update",
]
