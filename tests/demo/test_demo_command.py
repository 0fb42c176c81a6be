"""``yuqi demo --no-serve`` builds a deterministic centre and prints working logins."""

from __future__ import annotations

import os

import pytest
from django.test import Client

from yuqi.accounts.models import User
from yuqi.cli import main
from yuqi.customers.models import Customer
from yuqi.interactions.models import Interaction


@pytest.mark.django_db(transaction=True)
def test_demo_builds_and_its_logins_work(tmp_path, capsys, monkeypatch):
    from yuqi.demo import record as builder
    from yuqi.demo.builder import build_demo

    # The test database is already migrated: build into it rather than a second SQLite file;
    # and keep the command's environment changes out of this process.
    monkeypatch.setattr("os.environ", dict(os.environ))
    monkeypatch.setattr("yuqi.cli.setup", lambda data_dir: None)
    monkeypatch.setattr("yuqi.cli._migrate", lambda: None)
    monkeypatch.setattr("yuqi.core.fresh_schema.migrate_fresh", lambda: False)
    assert (
        main(
            [
                "demo",
                "--no-serve",
                "--scale",
                "small",
                "--seed",
                "3",
                "--end-date",
                "2026-11-20",
                "--data-dir",
                str(tmp_path),
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert builder.is_demo(tmp_path)
    assert (tmp_path / builder.LOGINS).stat().st_mode & 0o777 == 0o600
    logins = builder.read_demo_logins(tmp_path)
    assert {login.role for login in logins} == {
        "agent",
        "supervisor",
        "analyst",
        "manager",
        "admin",
    }
    for login in logins:
        assert f"sign in as {login.username}" in out
        assert User.objects.get(username=login.username).check_password(login.password)
    assert Customer.objects.count() >= 300
    assert Interaction.objects.count() >= 5000
    # The pyramid's service by segment is stored by the build, equal to a fresh computation.
    from yuqi.operations.models import SegmentServiceResult
    from yuqi.operations.pyramid.service_store import computed_service, stored_service

    assert "service by segment stored for 1 period(s)" in out
    period = SegmentServiceResult.objects.values("date_from", "date_to").get()
    stored, _at = stored_service(**period)
    assert stored
    assert sorted(stored, key=repr) == sorted(computed_service(**period), key=repr)

    manager = next(login for login in logins if login.role == "manager")
    client = Client()
    client.post("/accounts/login/", {"username": manager.username, "password": manager.password})
    customer = Customer.objects.filter(interactions__isnull=False).first()
    page = client.get(f"/customers/{customer.external_id}/").content.decode()
    assert customer.name in page
    assert 'class="timeline"' in page

    # Same seed, same centre.
    first = list(
        Interaction.objects.order_by("external_id").values_list(
            "external_id", "arrived_at", "wait_seconds"
        )[:50]
    )
    _forget_the_demo_records()
    from datetime import date

    build_demo(seed=3, scale="small", end_date=date(2026, 11, 20), say=lambda _m: None)
    again = list(
        Interaction.objects.order_by("external_id").values_list(
            "external_id", "arrived_at", "wait_seconds"
        )[:50]
    )
    assert again == first


def _forget_the_demo_records() -> None:
    """Delete what the demo steps wrote (not the shipped configuration), newest context first."""
    from django.apps import apps

    from yuqi.commitments.models import Commitment
    from yuqi.complaints.models import Complaint
    from yuqi.complaints.models_book import Feedback
    from yuqi.insights.models import EvaluationRun, Expectation, Offering, PeerCentre
    from yuqi.interactions.models import Agent, Queue, Team
    from yuqi.surveys.models import Campaign, Invitation, Survey
    from yuqi.textmining.models import TextModel, ThemeRun

    for model in apps.get_app_config("channels").get_models():  # the public form's records
        model.objects.all().delete()
    Feedback.objects.all().delete()
    for model in (EvaluationRun, Expectation, TextModel, ThemeRun):
        model.objects.all().delete()
    for model in (Invitation, Campaign, Survey, Commitment, Complaint, PeerCentre, Offering):
        model.objects.all().delete()
    Interaction.objects.all().delete()
    Customer.objects.all().delete()
    for model in (Agent, Queue, Team):
        model.objects.all().delete()


def test_demo_refuses_a_folder_holding_real_data(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("os.environ", dict(os.environ))
    (tmp_path / "yuqi.sqlite3").write_bytes(b"")
    assert main(["demo", "--no-serve", "--data-dir", str(tmp_path)]) == 2
    assert "not a demo" in capsys.readouterr().err


@pytest.mark.django_db
def test_the_demo_passwords_are_hashed_in_advance_as_set_password_would():
    from django.contrib.auth.hashers import get_hasher, identify_hasher

    from yuqi.demo.steps.accounts import DemoPasswords, create_demo_users, store_demo_passwords

    passwords = DemoPasswords()
    logins = create_demo_users(passwords)
    for login in logins:  # created before the hashes are stored: no password works yet
        assert not User.objects.get(username=login.username).has_usable_password()
    store_demo_passwords(passwords)
    made = passwords.hashes()
    assert len(set(made.values())) == len(made) == 5
    hasher = get_hasher()
    for login in logins:
        user = User.objects.get(username=login.username)
        assert user.password == made[login.password]  # the hash made on the thread
        assert identify_hasher(user.password).algorithm == hasher.algorithm
        assert hasher.decode(user.password).get("iterations") == hasher.decode(
            hasher.encode("x", hasher.salt())
        ).get("iterations")
        assert user.check_password(login.password)
    # a rerun stores the new hashes on the users that exist
    again = DemoPasswords()
    create_demo_users(again)
    store_demo_passwords(again)
    for login in create_demo_users(again):
        user = User.objects.get(username=login.username)
        assert user.password == again.hashes()[login.password]
        assert user.check_password(login.password)


@pytest.mark.django_db
def test_a_demo_password_too_like_the_user_name_is_drawn_again(monkeypatch):
    from yuqi.demo.steps import accounts

    # CI drew E5In7MaGtmHz for zhangwei once: every letter of the name, so "too similar"
    draws = iter(["E5In7MaGtmHz", "Qx9-vT2pLr8K"])
    monkeypatch.setattr(accounts.secrets, "token_urlsafe", lambda _n: next(draws))
    assert accounts.password_for("zhangwei", "张伟") == "Qx9-vT2pLr8K"
