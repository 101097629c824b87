"""The project's URLs plus /bench/bare: the cheapest Django view on the same server (the same
middleware, no database), the yardstick the submission endpoint is compared with."""

from django.http import JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from ketnoi.urls import urlpatterns as project_urlpatterns


@csrf_exempt
def bare(request):
    return JsonResponse({"status": "ok"})


urlpatterns = [path("bench/bare", bare), *project_urlpatterns]
