from django.http import Http404


def search(request):
    raise Http404


def document(request, pk: int):
    raise Http404


def file_download(request, pk: int):
    raise Http404
