"""The fault probe of issue #12: brute force on the logins, decompression-bomb images,
production's deploy checks, CSP, e-mail and logging, and what /healthz tells the public."""

import io
import json
import os
import subprocess
import sys
import textwrap

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from wagtail.images import get_image_model
from wagtail.images.forms import get_image_form
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction, Site

from tests.conftest import ROOT

pytestmark = pytest.mark.django_db

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "a-long-production-secret-" * 3,
    "ALLOWED_HOSTS": "practice.example.org,testserver",
    "PUBLIC_BASE_URL": "https://practice.example.org",
    "EMAIL_URL": "submission://mailer:p%40ss@mail.example.org:587",
    "DEFAULT_FROM_EMAIL": "Practice Exchange <noreply@practice.example.org>",
}
# The machine's own variables that would change what production reads.
CLEARED = {"DEBUG", "DATABASE_URL", "ELASTICSEARCH_URL", "HEALTHZ_TOKEN"} | {
    name for name in os.environ if name.startswith(("SECURE_", "EMAIL_", "CSP_", "AXES_"))
}


def run_production(code, **env):
    """Run Python under config.settings.production, as a separate process (the settings
    module reads its environment once, at import)."""
    environment = {k: v for k, v in os.environ.items() if k not in CLEARED}
    environment.update(PRODUCTION_ENV, **env)
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_settings(*names, **env):
    result = run_production(
        f"""
        import json, django
        django.setup()
        from django.conf import settings
        print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}, default=str))
        """,
        **env,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


# 1. Brute force: the Wagtail admin login (django-axes) and the page and document passwords.


@pytest.fixture
def editor():
    return get_user_model().objects.create_superuser("editor", "editor@example.org", "right-pw-1")


def test_admin_login_is_locked_after_the_failure_limit(client, editor, settings):
    settings.AXES_FAILURE_LIMIT = 5
    for _ in range(4):
        response = client.post("/admin/login/", {"username": "editor", "password": "wrong"})
        assert response.status_code == 200  # the form again, with its error
    response = client.post("/admin/login/", {"username": "editor", "password": "wrong"})
    assert response.status_code == 429  # the limit reached: locked from this failure on

    response = client.post("/admin/login/", {"username": "editor", "password": "right-pw-1"})
    assert response.status_code == 429
    assert "Too many failed attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session

    # The lockout is for that username from that address, not for everyone.
    get_user_model().objects.create_superuser("other", "other@example.org", "other-pw-1")
    response = client.post("/admin/login/", {"username": "other", "password": "other-pw-1"})
    assert response.status_code == 302


def test_behind_a_proxy_the_lockout_is_the_client_s_not_everyone_s(client, editor, settings):
    """Every request reaches the site from the proxy: the client is the address the proxy
    appended to X-Forwarded-For (what the client itself put there does not count)."""
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_IPWARE_PROXY_ORDER = "right-most"  # as production behind its proxy
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    attacker = {**proxy, "HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    for forged in ("198.51.100.1", "198.51.100.2", "198.51.100.3"):
        client.post(
            "/admin/login/",
            {"username": "editor", "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"{forged}, 203.0.113.9",  # forged, then what the proxy saw
            REMOTE_ADDR="10.0.0.2",
        )
    refused = client.post(
        "/admin/login/", {"username": "editor", "password": "right-pw-1"}, **attacker
    )
    assert refused.status_code == 429
    editor_at_work = {**proxy, "HTTP_X_FORWARDED_FOR": "192.0.2.44"}
    signed_in = client.post(
        "/admin/login/", {"username": "editor", "password": "right-pw-1"}, **editor_at_work
    )
    assert signed_in.status_code == 302


def password_targets():
    site_root = Site.objects.get(is_default_site=True).root_page
    page_restriction = PageViewRestriction.objects.create(
        page=site_root, restriction_type="password", password="right-page-pw"
    )
    collection_restriction = CollectionViewRestriction.objects.create(
        collection=Collection.get_first_root_node(),
        restriction_type="password",
        password="right-page-pw",
    )
    return {
        "page": reverse(
            "wagtailcore_authenticate_with_password", args=[page_restriction.id, site_root.id]
        ),
        "document": reverse(
            "wagtaildocs_authenticate_with_password", args=[collection_restriction.id]
        ),
    }


@pytest.mark.parametrize("kind", ["page", "document"])
def test_view_restriction_password_is_locked_after_the_failure_limit(client, settings, kind):
    settings.AXES_FAILURE_LIMIT = 5
    url = password_targets()[kind]
    for _ in range(4):
        response = client.post(url, {"password": "wrong", "return_url": "/"})
        assert response.status_code == 200
    assert client.post(url, {"password": "wrong", "return_url": "/"}).status_code == 429

    response = client.post(url, {"password": "right-page-pw", "return_url": "/"})
    assert response.status_code == 429
    assert "Too many failed attempts" in response.content.decode()
    # Wagtail's record of the passwords this session has passed: none.
    assert "passed_page_view_restrictions" not in client.session
    assert "passed_collection_view_restrictions" not in client.session


def test_view_restriction_password_still_works_below_the_limit(client, settings):
    settings.AXES_FAILURE_LIMIT = 5
    urls = password_targets()
    for _ in range(4):
        client.post(urls["page"], {"password": "wrong", "return_url": "/"})
    response = client.post(urls["page"], {"password": "right-page-pw", "return_url": "/"})
    assert response.status_code == 302
    # Another restriction's count is its own.
    response = client.post(urls["document"], {"password": "right-page-pw", "return_url": "/"})
    assert response.status_code == 302


# 2. Images: a decompression bomb is refused at upload.


def png(width, height, mode="1"):
    # A bilevel image of one colour compresses to almost nothing: an 11,000 x 11,000 one is
    # a few hundred KB on the wire and 121 million pixels once a rendition decodes it.
    buffer = io.BytesIO()
    Image.new(mode, (width, height)).save(buffer, format="PNG")
    return SimpleUploadedFile(f"{width}x{height}.png", buffer.getvalue(), content_type="image/png")


def image_form(upload):
    ImageForm = get_image_form(get_image_model())
    data = {"title": "Photo", "collection": Collection.get_first_root_node().id}
    return ImageForm(data, {"file": upload})


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_image_form_refuses_a_decompression_bomb():
    upload = png(11_000, 11_000)
    assert upload.size < 1024 * 1024
    form = image_form(upload)
    assert not form.is_valid()
    assert "too many pixels" in " ".join(form.errors["file"])


def test_image_form_accepts_a_camera_sized_photo():
    form = image_form(png(800, 600, mode="RGB"))
    assert form.is_valid(), form.errors


# 3. Production settings: deploy checks, CSP, e-mail.


def test_production_passes_check_deploy():
    result = run_production(
        """
        import sys, django
        django.setup()
        from django.core.management import call_command
        call_command("check", deploy=True, fail_level="WARNING")
        """
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout + result.stderr


def test_production_hsts_and_proxy_header_come_from_the_environment():
    values = production_settings(
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_SSL_REDIRECT",
        "SECURE_PROXY_SSL_HEADER",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        SECURE_HSTS_SECONDS="600",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="false",
        SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_SCHEME",
    )
    assert values == {
        "SECURE_HSTS_SECONDS": 600,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": False,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_SCHEME", "https"],
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
    }


def test_production_email_comes_from_the_environment():
    values = production_settings(
        "EMAIL_BACKEND",
        "EMAIL_HOST",
        "EMAIL_PORT",
        "EMAIL_HOST_USER",
        "EMAIL_HOST_PASSWORD",
        "EMAIL_USE_TLS",
        "DEFAULT_FROM_EMAIL",
        "SERVER_EMAIL",
    )
    assert values == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "mail.example.org",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "mailer",
        "EMAIL_HOST_PASSWORD": "p@ss",
        "EMAIL_USE_TLS": True,
        "DEFAULT_FROM_EMAIL": "Practice Exchange <noreply@practice.example.org>",
        "SERVER_EMAIL": "Practice Exchange <noreply@practice.example.org>",
    }


def test_development_prints_email():
    from django.conf import settings as test_settings

    from config.settings import dev

    assert dev.EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend"
    assert test_settings.EMAIL_BACKEND == "django.core.mail.backends.locmem.EmailBackend"


def test_public_pages_carry_a_content_security_policy_and_the_admin_does_not(client, settings):
    production = production_settings("MIDDLEWARE", "CONTENT_SECURITY_POLICY")
    settings.MIDDLEWARE = production["MIDDLEWARE"]
    settings.CONTENT_SECURITY_POLICY = production["CONTENT_SECURITY_POLICY"]

    response = client.get("/")
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "object-src 'none'" in policy

    # Wagtail's admin needs inline scripts and styles: it is left out of the policy.
    assert "Content-Security-Policy" not in client.get("/admin/login/")


# 4. Production logs a 500's traceback to stderr.


def test_production_logs_a_server_error_with_its_traceback():
    result = run_production(
        """
        import django
        django.setup()
        from django.test import Client, override_settings
        from django.urls import path

        def boom(request):
            raise RuntimeError("the-view-failed")

        urlpatterns = [path("boom", boom)]
        with override_settings(ROOT_URLCONF="__main__", STORAGES={
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
        }):
            response = Client(raise_request_exception=False).get("/boom", secure=True)
        print("status", response.status_code)
        """
    )
    assert "status 500" in result.stdout, result.stderr
    assert "Internal Server Error: /boom" in result.stderr
    assert "Traceback (most recent call last)" in result.stderr
    assert "line 8, in boom\nRuntimeError: the-view-failed" in result.stderr


# 5. /healthz: the overall state for everyone, the details for staff and a token.

DETAILED_SEARCH = {
    "status": "down",
    "backend": "elasticsearch",
    "version": {"number": "8.19.0"},
    "index": "practice-exchange-case-studies",
    "error": "ConnectionError(http://10.0.0.7:9200 refused)",
}
SECRET_WORDS = ["8.19.0", "practice-exchange-case-studies", "10.0.0.7", "ConnectionError"]


@pytest.fixture
def failing_search(monkeypatch):
    monkeypatch.setattr("config.health.search_health", lambda: dict(DETAILED_SEARCH))
    monkeypatch.setattr(
        "config.health.semantic_health",
        lambda: {"status": "unavailable", "reason": "No model at /srv/models/e5"},
    )


def test_healthz_tells_the_public_only_the_states(client, failing_search):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "degraded",
        "database": {"status": "ok"},
        "search": {"status": "down"},
        "semantic": {"status": "down"},
    }
    body = response.content.decode()
    for word in [*SECRET_WORDS, "/srv/models", "sqlite"]:
        assert word not in body


def test_healthz_shows_the_details_to_staff(client, failing_search):
    client.force_login(
        get_user_model().objects.create_user("ops", "ops@example.org", "x", is_staff=True)
    )
    body = client.get("/healthz").json()
    assert body["search"] == DETAILED_SEARCH
    assert body["database"]["vendor"] == "sqlite"
    assert body["semantic"]["reason"] == "No model at /srv/models/e5"


def test_healthz_shows_the_details_to_a_non_staff_user_never(client, failing_search):
    client.force_login(get_user_model().objects.create_user("reader", "r@example.org", "x"))
    body = client.get("/healthz").content.decode()
    assert not any(word in body for word in SECRET_WORDS)


def test_healthz_shows_the_details_for_the_token(client, failing_search, settings):
    settings.HEALTHZ_TOKEN = "monitoring-token-123"
    response = client.get("/healthz", headers={"Authorization": "Bearer monitoring-token-123"})
    assert response.status_code == 503
    assert response.json()["search"] == DETAILED_SEARCH


@pytest.mark.parametrize(
    "token, header",
    [
        ("monitoring-token-123", "Bearer wrong-token"),
        ("monitoring-token-123", "monitoring-token-123"),
        ("", "Bearer "),
        ("", "Bearer"),
    ],
)
def test_healthz_wrong_or_unset_token_gets_the_public_view(
    client, failing_search, settings, token, header
):
    settings.HEALTHZ_TOKEN = token
    response = client.get("/healthz", headers={"Authorization": header})
    assert response.status_code == 503
    assert response.json()["search"] == {"status": "down"}
