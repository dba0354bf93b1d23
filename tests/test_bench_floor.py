"""The bench's floor page and cache flush exist only when DANVAN_BENCH_FLOOR is set."""

import importlib

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import Resolver404, clear_url_caches, resolve

import danvan.urls


def _reload_urls():
    clear_url_caches()
    importlib.reload(danvan.urls)


@pytest.fixture
def bench_routes(settings):
    settings.DANVAN_BENCH_FLOOR = True
    _reload_urls()
    yield
    settings.DANVAN_BENCH_FLOOR = False  # before the settings fixture restores it: route as by default again
    _reload_urls()


@pytest.mark.django_db
def test_bench_pages_are_absent_by_default(client):
    assert not settings.DANVAN_BENCH_FLOOR
    for url in ("/_bench/floor/", "/_bench/flush/"):
        with pytest.raises(Resolver404):
            resolve(url)
        assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_bench_pages_are_routed_when_the_setting_is_on(client, bench_routes):
    response = client.get("/_bench/floor/")
    assert response.status_code == 200
    assert response.content == b"ok"
    cache.set("bench-probe", 1)
    response = client.get("/_bench/flush/")
    assert response.status_code == 200 and response.content.decode().isdigit()
    assert cache.get("bench-probe") is None
