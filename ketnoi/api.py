"""The /api/v1/ entry point: each domain app contributes its router."""

from ketnoi.core.api_auth import api_auth
from ketnoi.core.api_errors import KetNoiAPI, install_error_handlers
from ketnoi.core.jsonbody import BoundedJSONParser
from ketnoi.directory.api import router as directory_router
from ketnoi.events.api import router as events_router
from ketnoi.library.api import router as library_router
from ketnoi.programmes.api import router as programmes_router
from ketnoi.surveys.api import router as surveys_router
from ketnoi.training.api import router as training_router

api = KetNoiAPI(
    title="Kết Nối API",
    version="1",
    description="Directory and programme data, scoped to what the token's user may see.",
    auth=api_auth,
    parser=BoundedJSONParser(),
    urls_namespace="api",
)
install_error_handlers(api)

api.add_router("/directory/", directory_router)
api.add_router("/programmes/", programmes_router)
api.add_router("/surveys/", surveys_router)
api.add_router("/events/", events_router)
api.add_router("/training/", training_router)
api.add_router("/library/", library_router)
