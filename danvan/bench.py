"""Views routed only for `make bench` (setting DANVAN_BENCH_FLOOR=1), never in a normal deployment.

The floor is the cheapest page the portal can serve: the whole middleware stack and a response, no database
work, so that every measured page is read as a multiple of it on the same machine in the same run. The flush
empties the cache of the worker process that answers (the cache is per process unless Redis is configured)
and says which process that was, so the bench can empty every worker before a first-visit measurement.
"""

import os

from django.core.cache import cache
from django.http import HttpResponse
from django.urls import path


def floor(request):
    return HttpResponse("ok", content_type="text/plain")


def flush(request):
    cache.clear()
    return HttpResponse(str(os.getpid()), content_type="text/plain")


urlpatterns = [
    path("floor/", floor, name="floor"),
    path("flush/", flush, name="flush"),
]
