"""The `kyphocare` command: demo, check, migrate, createadmin, manage — run as a user would."""

import os
import secrets
import sqlite3
import subprocess
import sys

import pytest

STRIP = ("DATABASE_URL", "KYPHOCARE_ENV", "SECRET_KEY", "ALLOWED_HOSTS", "KYPHOCARE_DATA_DIR")


def run(*args, env=None, timeout=120):
    base = {k: v for k, v in os.environ.items() if k not in STRIP and not k.startswith("DJANGO")}
    return subprocess.run(
        [sys.executable, "-m", "kyphocare.cli", *args],
        env={**base, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def counts(db_file):
    with sqlite3.connect(db_file) as conn:
        return {
            table: conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # noqa: S608
            for table in (
                "accounts_clinic",
                "accounts_user",
                "accounts_membership",
                "patients_patient",
            )
        }


def test_demo_loads_sample_clinic_once_and_prints_logins(tmp_path):
    first = run("demo", "--setup-only", "--data-dir", str(tmp_path), "--port", "8765")
    assert first.returncode == 0, first.stderr
    assert "http://127.0.0.1:8765/" in first.stdout
    for login in ("clinician@", "coordinator@", "admin@", "margaret@", "jose@"):
        assert login in first.stdout
    assert "kyphocare-demo" in first.stdout
    db_file = tmp_path / "kyphocare.sqlite3"
    after_first = counts(db_file)
    assert after_first["accounts_clinic"] == 2
    assert after_first["patients_patient"] >= 8
    assert after_first["accounts_user"] == 5
    with sqlite3.connect(db_file) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    second = run("demo", "--setup-only", "--data-dir", str(tmp_path))
    assert second.returncode == 0, second.stderr
    assert counts(db_file) == after_first


def test_demo_is_refused_in_production(tmp_path):
    result = run(
        "demo", "--setup-only", "--data-dir", str(tmp_path), env={"KYPHOCARE_ENV": "production"}
    )
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "error: demo accounts are refused when KYPHOCARE_ENV=production."
    )
    assert not (tmp_path / "kyphocare.sqlite3").exists()


def test_demo_rejects_bad_port(tmp_path):
    result = run("demo", "--port", "70000", "--data-dir", str(tmp_path))
    assert result.returncode == 2 and "--port" in result.stderr


@pytest.fixture
def production_env(tmp_path):
    return {
        "KYPHOCARE_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "kyphocare.example.org",
        "KYPHOCARE_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
    }


def test_check_in_production_reports_nothing(production_env):
    assert run("migrate", env=production_env).returncode == 0
    result = run("check", env=production_env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stdout + result.stderr
    assert "migrations up to date" in result.stdout


def test_check_reports_unapplied_migrations(production_env):
    result = run("check", env=production_env)
    assert result.returncode == 1
    assert "not applied" in result.stdout


def test_production_requires_secret_key_and_hosts(production_env):
    no_key = run("check", env={**production_env, "SECRET_KEY": ""})
    assert no_key.returncode == 2
    assert no_key.stderr.startswith("error: configuration: SECRET_KEY: required")
    no_hosts = run("check", env={**production_env, "ALLOWED_HOSTS": ""})
    assert no_hosts.returncode == 2 and "ALLOWED_HOSTS" in no_hosts.stderr


def test_createadmin_and_manage(tmp_path):
    env = {"KYPHOCARE_DATA_DIR": str(tmp_path), "KYPHOCARE_ADMIN_PASSWORD": "long enough secret"}
    assert run("migrate", env=env).returncode == 0
    made = run(
        "createadmin",
        "--email",
        "Boss@Example.org",
        "--name",
        "Boss",
        "--clinic",
        "North Clinic",
        env=env,
    )
    assert made.returncode == 0, made.stderr
    again = run("createadmin", "--email", "boss@example.org", "--name", "Boss", env=env)
    assert again.returncode == 2 and "already exists" in again.stderr
    weak = run(
        "createadmin",
        "--email",
        "x@example.org",
        "--name",
        "X",
        env={**env, "KYPHOCARE_ADMIN_PASSWORD": "123"},
    )
    assert weak.returncode == 2 and weak.stderr.startswith("error: password:")
    with sqlite3.connect(tmp_path / "kyphocare.sqlite3") as conn:
        row = conn.execute(
            "SELECT u.is_superuser, m.role, c.name FROM accounts_user u "
            "JOIN accounts_membership m ON m.user_id = u.id "
            "JOIN accounts_clinic c ON c.id = m.clinic_id"
        ).fetchall()
    assert row == [(1, "clinic_admin", "North Clinic")]
    shown = run("manage", "showmigrations", "audit", env=env)
    assert "[X] 0002_append_only_trigger" in shown.stdout


def test_unknown_environment_is_refused(tmp_path):
    result = run("check", env={"KYPHOCARE_ENV": "staging", "KYPHOCARE_DATA_DIR": str(tmp_path)})
    assert result.returncode == 2
    assert "KYPHOCARE_ENV" in result.stderr and "production" in result.stderr
