"""The account area's two-step sign-in pages: set it up, confirm a code after the password, recovery codes.

The rules and writes are in models_registry.two_factor; portal.security sends people here when needed.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from models_registry import people, two_factor

from .forms import OneTimeCodeForm
from .security import remember_device_state


def _next_url(request, default: str = "portal:staff_list") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return reverse(default)


@never_cache
@login_required
def two_factor_setup(request):
    """Turn two-step sign-in on (QR code, key as text, a code to confirm), or see and manage it."""
    if two_factor.has_two_factor(request.user):
        return render(request, "registration/two_factor_status.html", {
            "codes_left": two_factor.recovery_codes_left(request.user),
            "required": people.requires_two_factor(request.user),
        })
    device = two_factor.pending_device(request.user)
    form = OneTimeCodeForm(request.POST or None, recovery=False)
    if request.method == "POST" and form.is_valid():
        codes = two_factor.confirm_device(device, form.cleaned_data["code"])
        if codes is not None:
            otp_login(request, device)
            remember_device_state(request, True)
            return _show_codes(request, codes, turned_on=True)
        form.add_error("code", _("This code is not right. Check the time on your phone and type the code "
                                 "the app shows now."))
    return render(request, "registration/two_factor_setup.html", {
        "form": form, "qr_code": two_factor.qr_code_svg(device), "secret": two_factor.secret_text(device),
    })


@never_cache
@login_required
def two_factor_verify(request):
    """The second step of logging in: a code from the app, or a recovery code."""
    if request.user.is_verified() or not two_factor.has_two_factor(request.user):
        return redirect(_next_url(request))
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = two_factor.verify(request.user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            if device.name == two_factor.RECOVERY_DEVICE_NAME:
                messages.warning(request, _("You used a recovery code; %(count)s left. Create new ones in your "
                                            "account when few are left.")
                                 % {"count": two_factor.recovery_codes_left(request.user)})
            return redirect(_next_url(request))
        form.add_error("code", _("This code is not right or has already been used."))
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": _next_url(request)})


@never_cache
@login_required
@require_POST
def two_factor_recovery_codes(request):
    """New recovery codes (the old ones stop working), shown once."""
    if not two_factor.has_two_factor(request.user):
        return redirect("two_factor_setup")
    return _show_codes(request, two_factor.new_recovery_codes(request.user), turned_on=False)


@never_cache
@login_required
@require_POST
def two_factor_turn_off(request):
    if people.requires_two_factor(request.user):
        messages.error(request, _("Your role must use two-step sign-in: it cannot be turned off."))
    else:
        two_factor.turn_off(request.user)
        remember_device_state(request, False)
        messages.success(request, _("Two-step sign-in is off."))
    return redirect("two_factor_setup")


def _show_codes(request, codes: list[str], *, turned_on: bool):
    return render(request, "registration/two_factor_codes.html", {
        "codes": codes, "turned_on": turned_on,
        "next": _next_url(request) if (request.GET.get("next") or request.POST.get("next")) else "",
    })
