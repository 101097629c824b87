"""The /api/v1/ entry point: each domain app contributes its router."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import NinjaAPI

from ketnoi.core.api_auth import api_auth
from ketnoi.directory.api import router as directory_router
from ketnoi.events.api import router as events_router
from ketnoi.library.api import router as library_router
from ketnoi.programmes.api import router as programmes_router
from ketnoi.surveys.api import router as surveys_router
from ketnoi.training.api import router as training_router

api = NinjaAPI(
    title="Kết Nối API",
    version="1",
    description="Directory and programme data, scoped to what the token's user may see.",
    auth=api_auth,
    urls_namespace="api",
)


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    """A service refused the input: 400 with the message per field, nothing written."""
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"detail": " ".join(exc.messages), "errors": errors}, status=400)


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc: PermissionDenied):
    return api.create_response(request, {"detail": str(exc) or "Không có quyền thực hiện thao tác này."}, status=403)


@api.exception_handler(Http404)
def not_found(request, exc: Http404):
    return api.create_response(request, {"detail": "Không tìm thấy."}, status=404)


api.add_router("/directory/", directory_router)
api.add_router("/programmes/", programmes_router)
api.add_router("/surveys/", surveys_router)
api.add_router("/events/", events_router)
api.add_router("/training/", training_router)
api.add_router("/library/", library_router)
