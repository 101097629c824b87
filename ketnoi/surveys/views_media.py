"""The files sent with responses, served only to those who read the form's results.

Respondents are anonymous members of the public and their photos and recordings are personal
data: a file is reached only through this view (MEDIA_ROOT is never on a public URL), never
cached by a shared cache, and anything that is not an image is a download that no browser runs
as a page of this site (nosniff, a sandboxing Content-Security-Policy).
"""

import io
from pathlib import Path

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from .models import Form, ResponseAttachment
from .views_results import results_view

THUMB_SIZE = 320  # pixels, the longer side of a preview
# A preview decodes the image whole (a JPEG at a fraction of its size, see draft): larger ones are
# served as they are rather than spending memory on them.
THUMB_MAX_PIXELS = 50_000_000
# Types a browser shows inline as an image and never runs (SVG is not among them).
INLINE_IMAGES = {"image/jpeg", "image/png", "image/webp", "image/gif"}
IMAGE_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
DOWNLOAD_CSP = "default-src 'none'; sandbox"


def _private(response: HttpResponse, *, csp: str) -> HttpResponse:
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = csp
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


def stored_file_response(field_file, *, content_type: str, filename: str) -> FileResponse:
    """A stored file as a response: an image this site can show, inline; anything else a
    download. The content type is the one read from the bytes at upload (never the client's).
    Also for respond:attachment (a form's files, fetched by respondents)."""
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    inline = content_type in INLINE_IMAGES
    response = FileResponse(handle, content_type=content_type, as_attachment=not inline, filename=filename)
    return _private(response, csp=IMAGE_CSP if inline else DOWNLOAD_CSP)


def _thumbnail(field_file) -> tuple[bytes, str] | None:
    """A small JPEG (PNG when the image has transparency) of a stored image, without its EXIF
    data (a phone's photo carries where it was taken); None when Pillow cannot make one."""
    try:
        from PIL import Image, ImageOps
    except ImportError:  # pragma: no cover - Pillow comes with fpdf2
        return None
    try:
        with field_file.open("rb") as handle, Image.open(handle) as image:
            image.draft("RGB", (THUMB_SIZE, THUMB_SIZE))
            if image.width * image.height > THUMB_MAX_PIXELS:
                return None
            image = ImageOps.exif_transpose(image)
            image.thumbnail((THUMB_SIZE, THUMB_SIZE))
            output = io.BytesIO()
            if image.mode in ("RGBA", "LA", "PA", "P") and (image.mode != "P" or "transparency" in image.info):
                image.convert("RGBA").save(output, "PNG", optimize=True)
                return output.getvalue(), "image/png"
            image.convert("RGB").save(output, "JPEG", quality=80)
            return output.getvalue(), "image/jpeg"
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return None


@results_view
def response_media(request: HttpRequest, programme, survey: Form, response_uuid, name: str) -> HttpResponse:
    attachment = get_object_or_404(
        ResponseAttachment.objects.select_related(None),
        response__uuid=response_uuid,
        response__collection__form=survey,
        name=name,
    )
    if request.GET.get("thumb") and attachment.content_type in INLINE_IMAGES | {"image/heic", "image/heif"}:
        preview = _thumbnail(attachment.file)
        if preview is not None:
            content, content_type = preview
            response = HttpResponse(content, content_type=content_type)
            response["Content-Disposition"] = f'inline; filename="{Path(name).stem}-thumb.{content_type[6:]}"'
            return _private(response, csp=IMAGE_CSP)
    return stored_file_response(attachment.file, content_type=attachment.content_type, filename=name)
