"""Two-step sign-in: a code from an authenticator app (TOTP, django-otp) and ten one-time recovery codes.

Anyone may turn it on for their own account; `people.requires_two_factor` says who must. The portal's
account pages and its middleware (portal.security) call these functions; nothing else writes devices.
"""

from __future__ import annotations

from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.db import transaction
from django_otp import devices_for_user, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "authenticator"
RECOVERY_DEVICE_NAME = "recovery"


def has_two_factor(user) -> bool:
    """Whether the account has a confirmed authenticator app (and so is asked for a code after the password)."""
    return user.is_authenticated and user_has_device(user, confirmed=True)


def pending_device(user) -> TOTPDevice:
    """The authenticator being set up: made once, kept until confirmed, so that a reload shows the same key."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


def secret_text(device: TOTPDevice) -> str:
    """The key to type by hand when the QR code cannot be scanned, in groups of four."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[index:index + 4] for index in range(0, len(key), 4))


def qr_code_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// address as an SVG QR code, drawn here (no outside service sees the key)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    return image.to_string(encoding="unicode")


def confirm_device(device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the authenticator with a code it shows; returns the new recovery codes, or None if wrong."""
    if not device.verify_token(_digits(token)):
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        return new_recovery_codes(device.user)


def new_recovery_codes(user) -> list[str]:
    """Replace the account's recovery codes by ten new ones (each works once); shown to the person once."""
    with transaction.atomic():
        device, _created = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_DEVICE_NAME,
                                                             defaults={"confirmed": True})
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__name=RECOVERY_DEVICE_NAME).count()


def verify(user, token: str):
    """The device that accepts this code (an app's current code or an unused recovery code), or None.

    django-otp slows down repeated wrong codes per device; a recovery code is spent when it is used.
    """
    token = token.strip().replace(" ", "").replace("-", "")
    if not token:
        return None
    # Six digits come from the app; recovery codes have letters: each kind is checked by its own device.
    model, token = (TOTPDevice, token) if token.isdigit() else (StaticDevice, token.lower())
    with transaction.atomic():
        for device in model.objects.filter(user=user, confirmed=True).select_for_update():
            if device.verify_token(token):
                return device
    return None


def turn_off(user) -> None:
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=None):
            device.delete()


def _digits(token: str) -> str:
    return "".join(character for character in token if character.isdigit())
