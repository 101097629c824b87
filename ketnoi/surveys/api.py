"""/api/v1/surveys/: submitting a response by share token (api_respond.py, open to anyone with
the link) and reading forms, collections and results (api_read.py, scoped by programme role
like the pages: no role on the programme, 404)."""

from ninja import Router

from .api_read import router as read_router
from .api_respond import router as respond_router

router = Router()
router.add_router("", read_router)
router.add_router("", respond_router)
