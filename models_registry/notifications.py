"""E-mails the portal sends, each after the transaction that caused it has committed.

Reviewers hear that a registration waits for them, the registering unit hears what was decided, a new
account gets a link to set its password. Every message is in Vietnamese, names people in Vietnamese order
and links to the page where the reader acts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mass_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .formatting import person_name
from .models import Initiative, InitiativeStatus

logger = logging.getLogger(__name__)


def absolute_url(path: str) -> str:
    return f"{settings.DANVAN_SITE_URL}{path}"


def send_after_commit(recipients: Callable[[], Iterable], compose: Callable[[object], tuple[str, str]],
                      *, about: str) -> None:
    """Once the transaction commits, e-mail each recipient (users with an address) their own message."""

    def send():
        with translation.override(settings.LANGUAGE_CODE):
            messages = []
            for user in recipients():
                if user.email:
                    subject, body = compose(user)
                    messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]))
        if not messages:
            return
        try:
            send_mass_mail(messages)
        except OSError:
            logger.exception("Could not send the e-mails about %s", about)

    transaction.on_commit(send)


def _greeting(user) -> str:
    return _("Dear %(name)s,") % {"name": person_name(user)}


def _signature() -> str:
    return _("— %(site)s portal") % {"site": settings.DANVAN_SITE_NAME}


def _when() -> str:
    return f"{timezone.localtime():%H:%M %d/%m/%Y}"


def initiative_submitted(initiative: Initiative, *, recipients: Callable[[], Iterable], acting_user,
                         changes: dict) -> None:
    """Tell the reviewers that a registration (or a resubmission after a return) waits for their decision."""
    resubmitted = bool(changes) or initiative.transitions.filter(to_status=InitiativeStatus.RETURNED).exists()
    link = absolute_url(reverse("admin:models_registry_initiative_change", args=[initiative.pk]))
    sender = person_name(acting_user)

    def compose(user):
        if resubmitted:
            subject = _("Resubmitted for review: “%(title)s”") % {"title": initiative.title[:120]}
            opening = _("%(organization)s has corrected the registration you returned and submitted it again.")
        else:
            subject = _("New registration to review: “%(title)s”") % {"title": initiative.title[:120]}
            opening = _("%(organization)s has submitted a registration that waits for your review.")
        lines = [
            _greeting(user), "",
            opening % {"organization": initiative.organization.name}, "",
            _("Initiative: %(code)s – %(title)s") % {"code": initiative.code, "title": initiative.title},
            _("Field: %(field)s") % {"field": initiative.field},
            _("Sent by: %(name)s, at %(time)s") % {"name": sender, "time": _when()},
        ]
        if changes:
            changed = ", ".join(capfirst(label) for label in changes)
            lines.append(_("Changed since the previous submission: %(fields)s") % {"fields": changed})
        lines += ["", _("Open it to accept, return or reject it:"), link, "", _signature()]
        return subject, "\n".join(lines)

    send_after_commit(recipients, compose, about=f"initiative {initiative.pk} submitted")


DECISION_SUBJECTS = {
    InitiativeStatus.ACCEPTED: gettext_noop("Registration of “%(title)s” accepted"),
    InitiativeStatus.RETURNED: gettext_noop("Registration of “%(title)s” returned for changes"),
    InitiativeStatus.REJECTED: gettext_noop("Registration of “%(title)s” rejected"),
}


def initiative_decided(initiative: Initiative, *, recipients: Callable[[], Iterable], status: str,
                       reason: str = "", acting_user=None) -> None:
    """Tell the registering organisation's staff what the reviewer decided, and why."""
    link = absolute_url(reverse("portal:staff_initiative", args=[initiative.pk]))
    reviewer = person_name(acting_user) if acting_user is not None else ""

    def compose(user):
        subject = _(DECISION_SUBJECTS[status]) % {"title": initiative.title[:120]}
        lines = [
            _greeting(user), "",
            _("Initiative: %(code)s – %(title)s") % {"code": initiative.code, "title": initiative.title},
            _("New status: %(status)s") % {"status": InitiativeStatus(status).label},
        ]
        if reason:
            label = _("Note: %(reason)s") if status == InitiativeStatus.ACCEPTED else _("Reason: %(reason)s")
            lines.append(label % {"reason": reason})
        if reviewer:
            lines.append(_("Decided by: %(name)s") % {"name": reviewer})
        lines.append(_("Time: %(time)s") % {"time": _when()})
        if status == InitiativeStatus.RETURNED:
            lines += ["", _("Make the changes and submit it again here:")]
        else:
            lines += ["", _("See the registration here:")]
        lines += [link, "", _signature()]
        return subject, "\n".join(lines)

    send_after_commit(recipients, compose, about=f"initiative {initiative.pk} decided")


def account_created(user, *, acting_user, role_label: str, place: str) -> None:
    """Welcome a new account with a link to choose its own password."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    creator = person_name(acting_user)

    def compose(recipient):
        # The token is made when the mail is sent, from the account as committed.
        token = default_token_generator.make_token(recipient)
        link = absolute_url(reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token}))
        days = max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)
        subject = _("Your account on the %(site)s portal") % {"site": settings.DANVAN_SITE_NAME}
        lines = [
            _greeting(recipient), "",
            _("%(creator)s has created an account for you on the %(site)s portal.")
            % {"creator": creator, "site": settings.DANVAN_SITE_NAME},
            _("User name: %(username)s") % {"username": recipient.get_username()},
            _("Role: %(role)s") % {"role": role_label},
            _("Place: %(place)s") % {"place": place}, "",
            _("Choose your password with this link (valid for %(days)s days):") % {"days": days},
            link, "",
            _("Then log in here: %(url)s") % {"url": absolute_url(reverse("login"))}, "",
            _signature(),
        ]
        return subject, "\n".join(lines)

    send_after_commit(lambda: [type(user).objects.get(pk=user.pk)], compose, about=f"account {user.pk} created")
