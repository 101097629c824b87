"""Refuse a request whose address or query string holds a NUL character, before any view runs.

PostgreSQL stores no NUL in text ("A string literal cannot contain NUL (0x00) characters"), so a
`?q=%00` reaching a query was a 500 there, on every page and API list that filters by text.
Form fields refuse NUL themselves (Django's CharField validator); JSON bodies are checked by
core.jsonbody. Nobody types a NUL: it is a probe or a broken client, and a 400 says so.
"""

from django.http import HttpRequest, HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _


def _holds_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path:
        return True
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists())


class RefuseNulCharacters:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if _holds_nul(request):
            message = _("Địa chỉ hoặc tham số có ký tự NUL (\\0). Hãy bỏ ký tự đó rồi gửi lại.")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
