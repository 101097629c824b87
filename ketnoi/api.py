"""The /api/v1/ entry point: each domain app contributes its router."""

from ninja import NinjaAPI

from ketnoi.core.api_auth import api_auth
from ketnoi.directory.api import router as directory_router
from ketnoi.programmes.api import router as programmes_router

api = NinjaAPI(
    title="Kết Nối API",
    version="1",
    description="Directory and programme data, scoped to what the token's user may see.",
    auth=api_auth,
    urls_namespace="api",
)
api.add_router("/directory/", directory_router)
api.add_router("/programmes/", programmes_router)
