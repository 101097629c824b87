"""POST /api/v1/surveys/{form}/responses: other tools (and scripts) submit a response the way
the respondent page does.

Kept lean on purpose — it is the busiest endpoint of the platform: the body is parsed here (no
schema pass), one query fetches the collection with its form and current version, and
`services.response_submit` checks the answers and makes the one INSERT. An anonymous collection
authenticates nobody (no token lookup, no session read), so nothing about the sender can end
up on the response; an identified one authenticates the caller by token or session.
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from ketnoi.core.api_auth import api_auth
from ketnoi.core.jsonbody import JSONBodyError, load_json

from .models import Collection
from .services import SubmissionRefused, response_submit

router = Router(tags=["survey responses"])


class SubmissionIn(Schema):
    uuid: str = Field(
        ...,
        description="Made by the sender, once per filled questionnaire; send the same one again when retrying.",
        json_schema_extra={"format": "uuid"},
    )
    answers: dict[str, Any] = Field(
        ...,
        description=(
            "{answer name: value}: text, dates (YYYY-MM-DD) and single choices as strings; numbers and "
            'ratings as numbers; a multiple choice as its choice names joined by spaces ("a b") or a list; '
            'a matrix item under its own name; "other, please specify" text under "<name>_other".'
        ),
    )
    version: int | None = Field(
        None, description="The form version the answers were given to; the current one when left out."
    )


class SubmissionOut(Schema):
    status: str = Field(..., description='"created" for a new response, "duplicate" for a repeat of a stored one.')
    uuid: str


class Refusal(Schema):
    detail: str


class Invalid(Schema):
    detail: str
    errors: dict[str, list[str]] = Field(..., description="{answer name: [messages]} naming each question")


REQUEST_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": SubmissionIn.model_json_schema()}},
    }
}


def _invalid(errors: dict[str, list[str]]) -> Status:
    return Status(400, {"detail": " ".join(m for messages in errors.values() for m in messages), "errors": errors})


def _parse(request: HttpRequest) -> dict | Status:
    """The body as {uuid, answers, version}, or a 400 that says what to send."""
    try:
        body = load_json(request.body or b"null")
    except JSONBodyError as error:
        return _invalid({"__all__": [str(error)]})
    if not isinstance(body, dict):
        return _invalid(
            {"__all__": [_('Hãy gửi một đối tượng JSON: {"uuid": "…", "answers": {…}}.')]},
        )
    return body


def _caller(request: HttpRequest):
    """The authenticated user of an identified submission (bearer token, or the session with
    its CSRF token), or None."""
    token_auth, session_auth = api_auth
    user = token_auth(request)
    if user is None and settings.SESSION_COOKIE_NAME in request.COOKIES:
        try:
            user = session_auth(request)
        except HttpError:  # the session's CSRF check failed
            raise SubmissionRefused(
                _("Phiên đăng nhập không kèm mã CSRF: hãy gửi mã của tài khoản (Bearer) hoặc tải lại trang."),
                status=403,
            ) from None
    return user


@router.post(
    "/{token}/responses",
    auth=None,
    response={
        200: SubmissionOut,
        201: SubmissionOut,
        400: Invalid,
        403: Refusal,
        404: Refusal,
        409: Refusal,
        410: Refusal,
    },
    openapi_extra=REQUEST_BODY,
    summary="Submit a response",
)
def submit_response(request: HttpRequest, token: str):
    """Store one filled questionnaire in an opened collection.

    `token` (the `{form}` of POST /api/v1/surveys/{form}/responses) is the **share token** of
    an opened collection — the form as opened for one target, the last part of its share link
    `/s/<token>/`, what its QR code opens. An anonymous collection needs no
    authentication and stores no account and no address, even when a token is sent; an
    identified one needs the respondent's bearer token (or their session with its CSRF token)
    and stores that account.

    Idempotent by `uuid`: 201 for a new response, 200 `duplicate` when the same UUID comes
    again with the same answers (nothing is written), 409 when it comes with other answers.
    400 names the question in `errors`; 403 the collection is not open yet, or needs an
    account; 410 it is closed or has all the responses it takes; 404 no such share token.
    """
    body = _parse(request)
    if isinstance(body, Status):
        return body
    try:
        collection = Collection.objects.select_related("form__current_version").get(token=token)
    except Collection.DoesNotExist:
        return Status(404, {"detail": _("Không có đợt khảo sát nào với liên kết này. Hãy kiểm tra lại đường dẫn.")})
    version = body.get("version")
    if version is not None and (isinstance(version, bool) or not isinstance(version, int)):
        raise ValidationError({"version": _("Số phiên bản phải là một số nguyên, ví dụ 1.")})
    try:
        user = _caller(request) if collection.mode == Collection.Mode.IDENTIFIED else None
        response, created = response_submit(
            collection=collection,
            uuid=body.get("uuid"),
            answers=body.get("answers"),
            version=version,
            user=user,
        )
    except SubmissionRefused as refused:
        return Status(refused.status, {"detail": refused.message})
    return Status(
        201 if created else 200, {"status": "created" if created else "duplicate", "uuid": str(response.uuid)}
    )
