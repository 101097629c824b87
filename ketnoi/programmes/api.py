"""/api/v1/programmes/: the programme, its plan, indicators and progress, scoped exactly like
the web pages (see api_helpers.py). The endpoints live in api_plan.py and api_indicators.py."""

from ninja import Router

from .api_indicators import router as indicators_router
from .api_plan import router as plan_router

router = Router()
router.add_router("", plan_router)
router.add_router("", indicators_router)
