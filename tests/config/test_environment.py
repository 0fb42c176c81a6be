from __future__ import annotations

import pytest

from yuqi.config import environment


def test_secret_key_is_generated_once_with_private_permissions(tmp_path, monkeypatch):
    monkeypatch.delenv("YUQI_SECRET_KEY", raising=False)
    key = environment.secret_key(tmp_path)
    assert len(key) > 40
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    assert environment.secret_key(tmp_path) == key


def test_secret_key_from_the_environment_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("YUQI_SECRET_KEY", "from-env")
    assert environment.secret_key(tmp_path) == "from-env"
    assert not (tmp_path / "secret_key").exists()


def test_booleans_are_strict(monkeypatch):
    monkeypatch.setenv("YUQI_DEBUG", "maybe")
    with pytest.raises(environment.ConfigurationError, match="YUQI_DEBUG"):
        environment.env_bool("YUQI_DEBUG")
    monkeypatch.setenv("YUQI_DEBUG", "Yes")
    assert environment.env_bool("YUQI_DEBUG") is True


def test_data_dir_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("YUQI_DATA_DIR", str(tmp_path / "d"))
    assert environment.data_dir() == (tmp_path / "d").resolve()
    environment.ensure_data_dir(environment.data_dir())
    assert (tmp_path / "d" / "uploads").is_dir()


def test_defaults_are_safe(tmp_path):
    """A bare environment gives no debug, local hosts only, Chinese, Shanghai time, SQLite."""
    import json
    import os
    import subprocess
    import sys

    code = (
        "import django, json; from django.conf import settings; django.setup();"
        "print(json.dumps([settings.DEBUG, settings.ALLOWED_HOSTS, settings.LANGUAGE_CODE,"
        " settings.TIME_ZONE, settings.DATABASES['default']['ENGINE'],"
        " str(settings.DATABASES['default']['NAME'])]))"
    )
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("YUQI_") and key != "DATABASE_URL"
    }
    env.update(YUQI_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="yuqi.config.settings")
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    debug, hosts, language, zone, engine, name = json.loads(out)
    assert debug is False
    assert set(hosts) == {"127.0.0.1", "localhost", "[::1]"}
    assert (language, zone) == ("zh-hans", "Asia/Shanghai")
    assert engine == "django.db.backends.sqlite3"
    assert name == str(tmp_path / "yuqi.sqlite3")


def test_two_processes_starting_on_a_fresh_folder_share_one_secret_key(tmp_path, monkeypatch):
    """A worker and another yuqi process starting together on a new data folder: the one that
    loses the race to create the key reads the winner's (it crashed with FileExistsError)."""
    import os

    from yuqi.config import environment

    monkeypatch.delenv("YUQI_SECRET_KEY", raising=False)
    real_exists = type(tmp_path).exists
    monkeypatch.setattr(
        type(tmp_path),
        "exists",
        lambda self: False if self.name == "secret_key" else real_exists(self),
    )
    tmp_path.mkdir(exist_ok=True)
    fd = os.open(tmp_path / "secret_key", os.O_WRONLY | os.O_CREAT, 0o600)
    os.write(fd, b"the-winners-key")
    os.close(fd)
    assert environment.secret_key(tmp_path) == "the-winners-key"


def _database_options(tmp_path, **extra: str) -> dict:
    """The default database's OPTIONS as settings build them from this environment."""
    import json
    import os
    import subprocess
    import sys

    code = (
        "import json; from django.conf import settings;"
        "print(json.dumps(settings.DATABASES['default'].get('OPTIONS', {})))"
    )
    env = {key: value for key, value in os.environ.items() if not key.startswith("YUQI_")}
    env.update(YUQI_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="yuqi.config.settings")
    env.update(extra)
    return json.loads(
        subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        ).stdout
    )


def test_postgresql_prepares_repeated_statements_unless_told_not_to(tmp_path):
    """Server-side binding lets psycopg prepare a statement a connection runs again; a pooler in
    transaction mode needs it off (YUQI_PG_PREPARE=false), and SQLite never gets the options."""
    url = "postgresql://yuqi@db.internal:5432/yuqi"
    assert _database_options(tmp_path, DATABASE_URL=url) == {
        "server_side_binding": True,
        "prepare_threshold": 2,
    }
    assert (
        _database_options(tmp_path, DATABASE_URL=url, YUQI_PG_PREPARE_AFTER="0")[
            "prepare_threshold"
        ]
        == 0
    )
    assert _database_options(tmp_path, DATABASE_URL=url, YUQI_PG_PREPARE="false") == {}
    sqlite = _database_options(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path}/y.sqlite3")
    assert "server_side_binding" not in sqlite
