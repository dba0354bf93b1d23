"""Attachments of an initiative: which files are accepted, and adding or removing them.

The type is read from the content (its magic bytes), never trusted from the name or the browser's header:
PDF, Word and Excel (both the OOXML zip formats and the legacy OLE2 ones), JPEG and PNG. No system library
(libmagic) is needed. Files are stored in the private storage (outside the static root) and served only
through a view that checks the viewer's scope.
"""

from __future__ import annotations

import os
import zipfile

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from . import files, policies
from .audit import log_action
from .models import Attachment, AttachmentKind, Initiative

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOC = "application/msword"
XLS = "application/vnd.ms-excel"

# The extensions each sniffed type may carry: "report.pdf" that is really a PNG is refused.
EXTENSIONS = {
    PDF: {".pdf"},
    PNG: {".png"},
    JPEG: {".jpg", ".jpeg"},
    DOCX: {".docx"},
    XLSX: {".xlsx"},
    DOC: {".doc"},
    XLS: {".xls"},
}
ALLOWED_EXTENSIONS = sorted(set().union(*EXTENSIONS.values()))

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_JPEG_MAGIC = b"\xff\xd8\xff"
_ZIP_MAGIC = b"PK\x03\x04"
# An OOXML file lists this many entries at most in practice; a zip with more is not one we accept.
_MAX_ZIP_ENTRIES = 5000



def _sniff_ooxml(uploaded) -> str | None:
    try:
        with zipfile.ZipFile(uploaded) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if len(names) > _MAX_ZIP_ENTRIES or "[Content_Types].xml" not in names:
        return None
    if any(name.startswith("word/") for name in names):
        return DOCX
    if any(name.startswith("xl/") for name in names):
        return XLSX
    return None


def _sniff_ole2(head: bytes, extension: str) -> str | None:
    """A legacy .doc or .xls: both are OLE2 compound files; the name tells which one it claims to be."""
    if not head.startswith(_OLE2_MAGIC):
        return None
    return {".doc": DOC, ".xls": XLS}.get(extension)


def sniff_content_type(uploaded, name: str = "") -> str | None:
    """The content type read from the file's first bytes (and its zip directory), or None if not accepted."""
    extension = os.path.splitext(name or getattr(uploaded, "name", "") or "")[1].lower()
    uploaded.seek(0)
    head = uploaded.read(16)
    uploaded.seek(0)
    try:
        if head.startswith(b"%PDF-"):
            return PDF
        if head.startswith(_PNG_MAGIC):
            return PNG
        if head.startswith(_JPEG_MAGIC):
            return JPEG
        if head.startswith(_ZIP_MAGIC):
            return _sniff_ooxml(uploaded)
        return _sniff_ole2(head, extension)
    finally:
        uploaded.seek(0)


def validate_attachment(uploaded) -> str:
    """Check the size and the real type of an uploaded file; returns its content type.

    Raises ValidationError with a message for the person who uploaded it. The size limit and the zip check
    are the ones of every file coming in (models_registry.files).
    """
    files.check_size(uploaded, files.ATTACHMENT)
    name = getattr(uploaded, "name", "") or ""
    content_type = sniff_content_type(uploaded, name)
    if content_type is None:
        raise ValidationError(
            _("Only PDF, Word, Excel, JPEG and PNG files are accepted, and this file's content is none of "
              "them."),
            code="type",
        )
    if content_type in (DOCX, XLSX):
        # The people who open it get a file that unpacks to what it says, not a zip bomb.
        files.check_zip(uploaded)
    extension = os.path.splitext(name)[1].lower()
    if extension not in EXTENSIONS[content_type]:
        raise ValidationError(
            _("The file's name (%(extension)s) does not match its content (%(expected)s). Rename it or choose "
              "another file.")
            % {"extension": extension or "—", "expected": ", ".join(sorted(EXTENSIONS[content_type]))},
            code="extension",
        )
    return content_type


def _safe_name(name: str) -> str:
    base = os.path.basename(name.replace("\\", "/")).strip()
    return base[:200] or "tep"


def attachment_add(*, initiative: Initiative, acting_user, uploaded, kind: str = AttachmentKind.OTHER) -> Attachment:
    """Attach a checked file to an initiative of the acting user's organisation."""
    if not policies.acts_for_owner(acting_user, initiative):
        raise PermissionDenied(_("Only staff of the registering organisation can add files to this initiative."))
    if initiative.status not in policies.ATTACHMENT_ADD_STATUSES:
        raise ValidationError(_("Files cannot be added to an initiative that is %(status)s.")
                              % {"status": initiative.get_status_display()})
    content_type = validate_attachment(uploaded)
    original_name = _safe_name(uploaded.name)
    attachment = Attachment(
        initiative=initiative, kind=kind, original_name=original_name, content_type=content_type,
        size=uploaded.size, uploaded_by=acting_user,
    )
    with transaction.atomic():
        attachment.file.save(original_name, uploaded, save=False)
        attachment.full_clean()
        attachment.save()
        log_action(initiative, "initiative.attachment_added", user=acting_user,
                   data={"file": original_name, "kind": attachment.get_kind_display()})
    return attachment


def attachment_remove(*, attachment: Attachment, acting_user) -> None:
    """Remove a file from a draft or returned registration (and delete it from the storage)."""
    initiative = attachment.initiative
    if not policies.acts_for_owner(acting_user, initiative):
        raise PermissionDenied(_("Only staff of the registering organisation can remove this file."))
    if initiative.status not in policies.ATTACHMENT_REMOVE_STATUSES:
        raise ValidationError(_("Files of an initiative that is %(status)s cannot be removed.")
                              % {"status": initiative.get_status_display()})
    stored = attachment.file.name
    storage = attachment.file.storage
    with transaction.atomic():
        log_action(initiative, "initiative.attachment_removed", user=acting_user,
                   data={"file": attachment.original_name, "kind": attachment.get_kind_display()})
        attachment.delete()
    transaction.on_commit(lambda: storage.delete(stored))


def attachment_response(attachment: Attachment) -> FileResponse:
    """The file as a download under its original name; the caller has checked the viewer's scope."""
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as error:
        raise Http404(_("The file is missing from the storage.")) from error
    return FileResponse(handle, as_attachment=True, filename=attachment.original_name,
                        content_type=attachment.content_type or "application/octet-stream")
