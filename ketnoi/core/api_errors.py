"""How the API answers what it refuses, written once for ketnoi/api.py: the handlers, and the
error responses every operation documents in the OpenAPI schema (so a client, and the
schemathesis run in the tests, know a 400/401/403/404/422 is part of the contract).

- 400: a service refused the input (`errors` per field), or the body is not JSON / too deep;
- 401: no valid token and no signed-in session (with `WWW-Authenticate: Bearer`);
- 403: no right to do this; 404: not found, or out of the caller's sight;
- 422: a parameter or body field of the wrong type or out of range (django-ninja's list).
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError

from .jsonbody import JSONBodyError


class ErrorOut(Schema):
    detail: str | list[dict[str, Any]] = Field(
        ..., description="what went wrong and what to do; for 422, django-ninja's list of field errors"
    )
    errors: dict[str, list[str]] | None = Field(None, description="for 400: {field: [messages]}")


ERROR_DESCRIPTIONS = {
    "400": "The input was refused: `detail` says why, `errors` names each field.",
    "401": "No valid API token (send `Authorization: Bearer <key>`) and no signed-in session.",
    "403": "The account may not do this.",
    "404": "Not found, or not visible to this account.",
    "422": "A parameter or body field has the wrong type or is out of range.",
}


class KetNoiAPI(NinjaAPI):
    """NinjaAPI whose schema documents the error answers of every operation."""

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        schema["components"].setdefault("schemas", {})["ErrorOut"] = ErrorOut.model_json_schema()
        reference = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}}
        for methods in schema["paths"].values():
            for operation in methods.values():
                responses = operation.setdefault("responses", {})
                for status, description in ERROR_DESCRIPTIONS.items():
                    if status == "401" and not operation.get("security"):
                        continue  # an operation open to everyone never answers 401
                    if status not in responses and int(status) not in responses:
                        responses[status] = {"description": description, **reference}
        return schema


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(ValidationError)
    def validation_error(request, exc: ValidationError):
        """A service refused the input: 400 with the message per field, nothing written."""
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        return api.create_response(request, {"detail": " ".join(exc.messages), "errors": errors}, status=400)

    @api.exception_handler(PermissionDenied)
    def permission_denied(request, exc: PermissionDenied):
        detail = str(exc) or _("Không có quyền thực hiện thao tác này.")
        return api.create_response(request, {"detail": detail}, status=403)

    @api.exception_handler(Http404)
    def not_found(request, exc: Http404):
        return api.create_response(request, {"detail": _("Không tìm thấy.")}, status=404)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc: AuthenticationError):
        detail = _("Hãy gửi mã API của tài khoản trong tiêu đề “Authorization: Bearer <mã>”.")
        response = api.create_response(request, {"detail": detail}, status=401)
        response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        # django-ninja wraps a body its parser refused as "Cannot parse request body": say why.
        detail = str(exc.__cause__) if isinstance(exc.__cause__, JSONBodyError) else str(exc)
        return api.create_response(request, {"detail": detail}, status=exc.status_code)
