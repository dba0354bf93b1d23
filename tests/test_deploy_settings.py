"""Production settings: `manage.py check --deploy` is clean with DJANGO_DEBUG=0, a secret key is required, and
every page carries a Content Security Policy that its templates respect (no inline code without the nonce)."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_DIRS = [ROOT / "templates", *(ROOT / app / "templates" for app in ("portal", "evaluations", "awards",
                                                                            "models_registry"))]


def production_env(tmp_path, **overrides):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DANVAN_"))}
    env.update({
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
        "DJANGO_ALLOWED_HOSTS": "danvan.example.vn",
        "DANVAN_VAR_DIR": str(tmp_path),
        "PYTHONDONTWRITEBYTECODE": "1",
    })
    env.update(overrides)
    return {key: value for key, value in env.items() if value is not None}


def manage(env, *args):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


def test_the_deploy_check_is_clean_under_production_settings(tmp_path):
    result = manage(production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = manage(production_env(tmp_path, DJANGO_SECRET_KEY=None), "check")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_requires_two_step_sign_in_unless_told_otherwise(tmp_path):
    code = "from django.conf import settings as s; print(s.DANVAN_REQUIRE_2FA, s.SESSION_COOKIE_SECURE, " \
           "s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS)"
    result = manage(production_env(tmp_path), "shell", "-v", "0", "-c", code)
    assert result.stdout.split() == ["True", "True", "True", "True", "31536000"], result.stderr
    result = manage(production_env(tmp_path, DANVAN_REQUIRE_2FA="0"), "shell", "-v", "0", "-c", code)
    assert result.stdout.split()[0] == "False"


@pytest.mark.django_db
def test_every_page_has_a_content_security_policy_without_unsafe_inline(client, units):
    response = client.get(reverse("portal:home"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert re.search(r"script-src 'self'", policy) and re.search(r"style-src 'self'", policy)
    login = client.get(reverse("admin:login"))
    assert "unsafe-inline" not in login["Content-Security-Policy"]


def template_files():
    for directory in TEMPLATE_DIRS:
        if directory.exists():
            yield from sorted(directory.rglob("*.html"))


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*\bnonce=)(?![^>]*type=\"application/(?:ld\+)?json\")"
                           r"[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style(?![^>]*\bnonce=)[^>]*>", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle=", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+=", re.IGNORECASE)


@pytest.mark.parametrize("pattern", [INLINE_SCRIPT, INLINE_STYLE, STYLE_ATTRIBUTE, EVENT_HANDLER],
                         ids=["inline script", "inline style", "style attribute", "event handler"])
def test_templates_have_no_inline_code_the_policy_would_block(pattern):
    offenders = [f"{path.relative_to(ROOT)}: {match.group(0)[:80]}"
                 for path in template_files() for match in pattern.finditer(path.read_text(encoding="utf-8"))]
    assert not offenders, "\n".join(offenders)


def test_the_policy_is_on_in_the_settings():
    assert "csp.middleware.CSPMiddleware" in settings.MIDDLEWARE
    assert "axes.middleware.AxesMiddleware" == settings.MIDDLEWARE[-1]
