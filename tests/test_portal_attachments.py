"""Attachment rules: size from settings, type sniffed from the content, private storage, scoped download."""

import io
import os
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from models_registry.attachments import (
    DOC,
    DOCX,
    JPEG,
    PDF,
    PNG,
    XLS,
    XLSX,
    attachment_add,
    attachment_remove,
    validate_attachment,
)
from models_registry.models import Attachment, InitiativeStatus

from .factories import InitiativeFactory

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def ooxml(folder: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}/document.xml", "<x/>")
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("ke-hoach.pdf", b"%PDF-1.7\n...", PDF),
        ("anh.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 16, PNG),
        ("anh.JPG", b"\xff\xd8\xff\xe0" + b"\x00" * 16, JPEG),
        ("bao-cao.docx", ooxml("word"), DOCX),
        ("so-lieu.xlsx", ooxml("xl"), XLSX),
        ("bao-cao.doc", OLE2, DOC),
        ("so-lieu.xls", OLE2, XLS),
    ],
)
def test_accepted_types_are_recognised_from_their_content(name, content, expected):
    assert validate_attachment(upload(name, content)) == expected


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("virus.pdf", b"MZ\x90\x00\x03"),  # a Windows program named .pdf
        ("trang.html", b"<html><script>alert(1)</script>"),
        ("nen.zip", b"PK\x03\x04garbage"),
        ("khong-phai-office.docx", None),  # a zip without [Content_Types].xml
        ("slides.pptx", b""),  # replaced below by a real pptx-like zip
        ("anh.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 16),  # a PNG named .pdf
        ("bang.ppt", OLE2),  # an OLE2 file that is neither .doc nor .xls
    ],
)
def test_other_content_is_refused_with_a_message(name, content):
    if content is None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("word/document.xml", "<x/>")
        content = buffer.getvalue()
    if name == "slides.pptx":
        content = ooxml("ppt")
    with pytest.raises(ValidationError) as error:
        validate_attachment(upload(name, content, "application/pdf"))
    assert error.value.messages


def test_size_limit_comes_from_settings(settings):
    settings.ATTACHMENT_MAX_BYTES = 100
    with pytest.raises(ValidationError) as error:
        validate_attachment(upload("lon.pdf", b"%PDF-" + b"x" * 200))
    assert error.value.code == "too_large"
    assert validate_attachment(upload("nho.pdf", b"%PDF-" + b"x" * 50)) == PDF


def test_empty_file_is_refused():
    with pytest.raises(ValidationError):
        validate_attachment(upload("rong.pdf", b""))


def test_attachment_is_stored_in_private_storage_outside_static_root(unit_staff, settings, private_media):
    """The storage is the model's private storage (PRIVATE_MEDIA_ROOT), here pointed at a temporary folder."""
    from models_registry.models import private_storage

    assert str(private_storage().location) == str(settings.PRIVATE_MEDIA_ROOT)
    assert not str(settings.PRIVATE_MEDIA_ROOT).startswith(str(settings.STATIC_ROOT))
    initiative = InitiativeFactory(organization=unit_staff.staff_profile.organization,
                                   status=InitiativeStatus.DRAFT)
    attachment = attachment_add(initiative=initiative, acting_user=unit_staff,
                                uploaded=upload("../../etc/ke hoach.pdf", b"%PDF-1.4"))
    assert attachment.original_name == "ke hoach.pdf"
    path = attachment.file.path
    assert path.startswith(str(private_media))
    assert not path.startswith(str(settings.STATIC_ROOT))
    assert attachment.size == 8 and attachment.uploaded_by == unit_staff


def test_only_the_owner_adds_and_removes_files(unit_staff, other_province_staff, commune_reviewer,
                                               private_media, django_capture_on_commit_callbacks):
    initiative = InitiativeFactory(organization=unit_staff.staff_profile.organization,
                                   status=InitiativeStatus.DRAFT)
    for outsider in (other_province_staff, commune_reviewer):
        with pytest.raises(PermissionDenied):
            attachment_add(initiative=initiative, acting_user=outsider, uploaded=upload("a.pdf", b"%PDF-1"))
    attachment = attachment_add(initiative=initiative, acting_user=unit_staff, uploaded=upload("a.pdf", b"%PDF-1"))
    with pytest.raises(PermissionDenied):
        attachment_remove(attachment=attachment, acting_user=other_province_staff)
    stored = attachment.file.path
    with django_capture_on_commit_callbacks(execute=True):
        attachment_remove(attachment=attachment, acting_user=unit_staff)
    assert not Attachment.objects.exists()
    assert not os.path.exists(stored)


def test_files_of_a_submitted_registration_cannot_be_changed(unit_staff):
    initiative = InitiativeFactory(organization=unit_staff.staff_profile.organization,
                                   status=InitiativeStatus.SUBMITTED)
    with pytest.raises(ValidationError):
        attachment_add(initiative=initiative, acting_user=unit_staff, uploaded=upload("a.pdf", b"%PDF-1"))
