"""Every write to a programme goes through these functions, one module per entity: programmes
(and the roles on them), components, agreements, objectives, activities, indicators (with their
periods) and indicator values."""

from .actions import ProgrammeAction
from .activities import ACTIVITY_FIELDS, activity_create, activity_update
from .agreements import AGREEMENT_FIELDS, agreement_create, agreement_update
from .components import COMPONENT_FIELDS, component_create, component_update
from .indicator_values import awaiting_text, indicator_value_review, indicator_value_submit
from .indicator_values_bulk import indicator_values_approve_many
from .indicators import (
    INDICATOR_FIELDS,
    PERIOD_FIELDS,
    category_choices,
    indicator_create,
    indicator_period_create,
    indicator_period_update,
    indicator_update,
)
from .objectives import OBJECTIVE_FIELDS, objective_create, objective_update
from .programmes import (
    PROGRAMME_FIELDS,
    programme_create,
    programme_role_grant,
    programme_role_revoke,
    programme_update,
)

__all__ = [
    "ACTIVITY_FIELDS",
    "AGREEMENT_FIELDS",
    "COMPONENT_FIELDS",
    "INDICATOR_FIELDS",
    "OBJECTIVE_FIELDS",
    "PERIOD_FIELDS",
    "PROGRAMME_FIELDS",
    "ProgrammeAction",
    "activity_create",
    "activity_update",
    "agreement_create",
    "agreement_update",
    "awaiting_text",
    "category_choices",
    "component_create",
    "component_update",
    "indicator_create",
    "indicator_period_create",
    "indicator_period_update",
    "indicator_update",
    "indicator_value_review",
    "indicator_value_submit",
    "indicator_values_approve_many",
    "objective_create",
    "objective_update",
    "programme_create",
    "programme_role_grant",
    "programme_role_revoke",
    "programme_update",
]
