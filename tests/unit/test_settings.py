import os
import subprocess
import sys

import dj_database_url
import pytest

from tests.conftest import ROOT


def import_production(**env):
    environment = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "PUBLIC_BASE_URL"}
    }
    environment.update(env, DJANGO_SETTINGS_MODULE="config.settings.production")
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize(
    "env, message",
    [
        ({}, "Set SECRET_KEY"),
        ({"SECRET_KEY": "a-real-secret-" * 4, "DEBUG": "true"}, "DEBUG must be off"),
        ({"SECRET_KEY": "a-real-secret-" * 4, "DEBUG": "false"}, "Set PUBLIC_BASE_URL"),
        (
            {
                "SECRET_KEY": "a-real-secret-" * 4,
                "DEBUG": "false",
                "PUBLIC_BASE_URL": "http://127.0.0.1:8000",
            },
            "Set PUBLIC_BASE_URL",
        ),
    ],
)
def test_production_refuses_insecure_settings(env, message):
    result = import_production(**env)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_starts_with_a_secret_and_debug_off():
    result = import_production(
        SECRET_KEY="a-real-secret-" * 4,
        DEBUG="false",
        PUBLIC_BASE_URL="https://practice.example.org",
    )
    assert result.returncode == 0, result.stderr


def test_database_url_selects_postgres(monkeypatch):
    config = dj_database_url.parse("postgres://practice@127.0.0.1:54329/practice")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["PORT"] == 54329
