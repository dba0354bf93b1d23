"""Account security around every request: the client's address for log-in throttling, signing out after a
while without requests, and the two-step sign-in gate (settings.py has one block per feature)."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from models_registry import people, two_factor

LAST_SEEN_KEY = "danvan_last_seen"
HAS_DEVICE_KEY = "danvan_has_two_factor"
# The session is written at most once a minute for activity alone.
LAST_SEEN_RESOLUTION = 60


def client_ip(request) -> str:
    """The client's address for django-axes: REMOTE_ADDR, or the address the outermost trusted proxy saw.

    Each of DANVAN_PROXY_COUNT proxies appends the address it received from to X-Forwarded-For; what a client
    puts in the header itself is further left and never read.
    """
    count = settings.DANVAN_PROXY_COUNT
    if count > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
                     if part.strip()]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "")


class IdleSessionMiddleware:
    """Sign out whoever has made no request for DANVAN_IDLE_MINUTES (a shared office computer left open)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN_KEY)
            if last_seen is not None and now - last_seen > settings.DANVAN_IDLE_MINUTES * 60:
                logout(request)
                messages.info(request, _("You were signed out after %(minutes)s minutes without activity. "
                                         "Please log in again.") % {"minutes": settings.DANVAN_IDLE_MINUTES})
                return redirect_to_login(request.get_full_path(), _login_url(request))
            if last_seen is None or now - last_seen >= LAST_SEEN_RESOLUTION:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)


class TwoFactorMiddleware:
    """After the password, whoever has an authenticator confirms a code before anything else; the board and
    administrators (people.requires_two_factor) set one up before they use the admin."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not user.is_verified() and not _is_exempt(request.path_info):
            if _has_device(request):
                if request.path_info != reverse("two_factor_verify"):
                    return redirect(_with_next("two_factor_verify", request))
            elif (request.path_info.startswith(reverse("admin:index")) and people.requires_two_factor(user)
                  and request.path_info != reverse("admin:logout")):
                messages.info(request, _("Set up two-step sign-in before using the administration."))
                return redirect(_with_next("two_factor_setup", request))
        return self.get_response(request)


def remember_device_state(request, has_device: bool | None = None) -> None:
    """Cache in the session whether the account has an authenticator (asked on every request otherwise)."""
    if has_device is None:
        has_device = two_factor.has_two_factor(request.user)
    request.session[HAS_DEVICE_KEY] = has_device


def _has_device(request) -> bool:
    if HAS_DEVICE_KEY not in request.session:
        remember_device_state(request)
    return request.session[HAS_DEVICE_KEY]


def _is_exempt(path: str) -> bool:
    return path.startswith(settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/" + settings.STATIC_URL) \
        or path in {reverse("logout"), reverse("two_factor_verify")}


def _with_next(name: str, request) -> str:
    return f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}"


def _login_url(request) -> str:
    return reverse("admin:login") if request.path_info.startswith(reverse("admin:index")) else settings.LOGIN_URL


def on_logged_in(sender, request, user, **kwargs) -> None:
    """A new log-in starts its idle clock and looks up whether a code will be asked for."""
    if request is not None and hasattr(request, "session"):
        request.session[LAST_SEEN_KEY] = int(time.time())
        request.session[HAS_DEVICE_KEY] = two_factor.has_two_factor(user)


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out log-in, on the portal's and the admin's log-in alike."""
    from django.shortcuts import render

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {
        "failure_limit": settings.AXES_FAILURE_LIMIT, "cooloff_minutes": minutes,
    }, status=429)
