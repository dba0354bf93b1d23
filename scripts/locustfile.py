"""The simulated users of `make loadtest` (run by scripts/loadtest.py through locust, never on its own server).

Three kinds of visitors in the proportions a real portal sees: the public browsing and searching the
catalogue, unit staff working on their registrations, the provincial board in the admin lists. Staff log in
through the portal's own log-in form with the demo password, as a person would.

Every request is also written to LOADTEST_EVENTS (one CSV line: start time, milliseconds, name, ok, status),
so that the driver can compute exact percentiles and, when PostgreSQL is restarted midway, which requests
failed and when the portal answered normally again. LOADTEST_MAX_REQUESTS bounds the run.
"""

import os
import random
import re

from locust import HttpUser, between, events, task

PASSWORD = os.environ.get("LOADTEST_PASSWORD", "DanVan@2026")
MAX_REQUESTS = int(os.environ.get("LOADTEST_MAX_REQUESTS", 100_000))
WAIT_MIN, WAIT_MAX = (float(x) for x in os.environ.get("LOADTEST_WAIT", "1,4").split(","))
MODEL_LINK = re.compile(r'href="/mo-hinh/([^/"]+)/"')
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

_state = {"count": 0, "environment": None, "log": None}
_codes: list[str] = []


@events.init.add_listener
def _on_init(environment, **_kwargs):
    _state["environment"] = environment
    path = os.environ.get("LOADTEST_EVENTS")
    if path:
        _state["log"] = open(path, "w", buffering=1 << 16)  # noqa: SIM115 – closed when locust quits


@events.request.add_listener
def _on_request(request_type, name, response_time, response_length, exception=None, start_time=None,
                response=None, **_kwargs):
    _state["count"] += 1
    log = _state["log"]
    if log is not None:
        status = getattr(response, "status_code", 0) or 0
        log.write(f"{start_time or 0:.3f},{response_time:.1f},{name},{0 if exception else 1},{status}\n")
    if _state["count"] >= MAX_REQUESTS and _state["environment"].runner is not None:
        _state["environment"].runner.quit()  # the bound on requests, beside the bound on time


@events.quitting.add_listener
def _on_quitting(**_kwargs):
    if _state["log"] is not None:
        _state["log"].close()
        _state["log"] = None


class Visitor(HttpUser):
    abstract = True
    wait_time = between(WAIT_MIN, WAIT_MAX)

    def page(self, url, name=None):
        return self.client.get(url, name=name or url)


class PublicVisitor(Visitor):
    """Someone from the public: home page, the catalogue, searches with and without diacritics, a model."""

    weight = 6

    @task(3)
    def home(self):
        self.page("/", "home")

    @task(3)
    def catalogue(self):
        response = self.page("/danh-muc/", "catalogue")
        if not _codes and response.ok:
            _codes.extend(MODEL_LINK.findall(response.text))

    @task(2)
    def search_without_diacritics(self):
        self.page("/danh-muc/?q=" + random.choice(["hu gao", "tinh thuong", "dan van kheo", "minh long"]),
                  "catalogue search (no diacritics)")

    @task(2)
    def search_with_diacritics(self):
        self.page("/danh-muc/?q=" + random.choice(["hũ gạo", "tình thương", "dân vận khéo", "Minh Long"]),
                  "catalogue search (diacritics)")

    @task(1)
    def catalogue_page_two(self):
        self.page("/danh-muc/?page=2", "catalogue page 2")

    @task(3)
    def model_page(self):
        if _codes:
            self.page(f"/mo-hinh/{random.choice(_codes)}/", "model page")
        else:
            self.catalogue()


class StaffVisitor(Visitor):
    """A logged-in person: logs in through the portal's form first, and now and then again."""

    abstract = True
    username = ""

    def on_start(self):
        self.log_in()

    @task(1)
    def log_in_again(self):
        self.log_in()

    def log_in(self):
        self.client.cookies.clear()
        form = self.client.get("/tai-khoan/dang-nhap/", name="login form")
        token = CSRF_FIELD.search(form.text) if form.ok else None
        if token is None:
            return
        with self.client.post("/tai-khoan/dang-nhap/", name="login",
                              data={"username": self.username, "password": PASSWORD,
                                    "csrfmiddlewaretoken": token.group(1), "next": ""},
                              headers={"Referer": form.url}, catch_response=True) as response:
            if "/tai-khoan/dang-nhap/" in response.url:
                response.failure("still on the log-in page")


class UnitStaff(StaffVisitor):
    """Staff of a unit (canbo.donvi): their own registrations in the portal's staff area."""

    weight = 2
    username = os.environ.get("LOADTEST_STAFF_USER", "canbo.donvi")

    @task(5)
    def my_models(self):
        self.page("/can-bo/mo-hinh/", "staff: my models")


class ProvincialBoard(StaffVisitor):
    """The provincial board (bantinh): the admin's initiative list, filtered and searched."""

    weight = 2
    username = os.environ.get("LOADTEST_BOARD_USER", "bantinh")

    @task(4)
    def initiatives(self):
        self.page("/admin/models_registry/initiative/", "admin: initiatives")

    @task(2)
    def initiatives_search(self):
        self.page("/admin/models_registry/initiative/?q=" + random.choice(["hu gao", "tình thương", "phụ nữ"]),
                  "admin: initiatives search")

    @task(1)
    def admin_home(self):
        self.page("/admin/", "admin: home")
