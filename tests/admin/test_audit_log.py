"""The audit log: the secretariat reads every row, filtered and paged; no one can change one;
downloads and refused logins are rows of it too."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from fund import audit
from fund.extensions import db
from fund.models import AuditEvent, Role
from tests.conftest import count_queries, login, make_user

LOG = "/admin/audit"


def row(subject_type="call", subject_id=1, action="update", actor=None, comment="", when=None):
    event = audit.record(subject_type, subject_id, action, actor=actor, comment=comment)
    if when is not None:
        event.created_at = when
    db.session.commit()
    return event


def listed(response) -> str:
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    return text[text.index("<tbody>") : text.index("</tbody>")]


@pytest.fixture
def admin(ctx):
    return make_user(Role.ADMIN, name="Amina Admin", email="amina@example.org")


def test_the_secretariat_sees_every_row_newest_first_with_links_to_subject_and_actor(client, admin):
    chair = make_user(Role.CHAIR, name="Chidi Chair")
    row("proposal", 7, "award", chair, "well argued")
    row("grant", 3, "record_payment", admin, "tranche 1")
    login(client, admin)
    body = listed(client.get(LOG))
    assert body.index("record_payment") < body.index("award")  # newest first
    assert 'href="/grants/3"' in body and 'href="/proposals/7"' in body
    assert "Chidi Chair" in body and "well argued" in body


@pytest.mark.parametrize(
    "query, shown, hidden",
    [
        ("subject_type=grant", "tranche 1", "well argued"),
        ("subject_type=proposal&subject_id=7", "well argued", "other proposal"),
        ("actor=chidi", "well argued", "tranche 1"),
        ("actor=AMINA%40example", "tranche 1", "well argued"),
        ("action=award", "well argued", "tranche 1"),
        ("since=2026-01-02&until=2026-01-02", "well argued", "the day before"),
    ],
)
def test_the_filters_narrow_the_rows(client, admin, query, shown, hidden):
    chair = make_user(Role.CHAIR, name="Chidi Chair", email="chidi@example.org")
    noon = datetime(2026, 1, 2, 12, tzinfo=UTC)
    row("proposal", 7, "award", chair, "well argued", when=noon)
    row("proposal", 8, "award", None, "other proposal", when=noon + timedelta(days=1))
    row("grant", 3, "record_payment", admin, "tranche 1", when=noon + timedelta(days=2))
    row("call", 1, "open", admin, "the day before", when=noon - timedelta(days=1))
    login(client, admin)
    body = listed(client.get(f"{LOG}?{query}"))
    assert shown in body and hidden not in body


def test_the_date_range_is_the_readers_calendar_days(client, admin):
    admin.timezone = "Africa/Nairobi"  # UTC+3
    row(comment="late on 1 January in UTC", when=datetime(2026, 1, 1, 22, tzinfo=UTC))
    login(client, admin)
    assert "late on 1 January" in listed(client.get(f"{LOG}?since=2026-01-02&until=2026-01-02"))
    assert "late on 1 January" not in listed(client.get(f"{LOG}?until=2026-01-01"))


@pytest.mark.parametrize(
    "query, message",
    [
        ("since=2026-02-01&until=2026-01-01", "comes before its start"),
        ("since=yesterday", "Not a valid date value"),
        ("since=9999-01-01", "Give a date between"),
        ("subject_id=abc", "whole number"),
        ("subject_id=99999999999", "whole number"),
        ("action=delete_everything", "Not a valid choice"),
        ("page=0", "Page"),
    ],
)
def test_bad_filters_get_a_clear_400(client, admin, query, message):
    row()
    login(client, admin)
    for path in (LOG, f"{LOG}.csv"):
        response = client.get(f"{path}?{query}")
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.REVIEWER, Role.CHAIR])
@pytest.mark.parametrize("path", [LOG, f"{LOG}.csv", f"{LOG}.xlsx"])
def test_only_the_secretariat_reads_the_log(client, role, path):
    row(comment="hidden comment text")
    login(client, make_user(role))
    response = client.get(path)
    assert response.status_code == 403
    assert "hidden comment text" not in response.get_data(as_text=True)


@pytest.mark.parametrize("path", [LOG, f"{LOG}.csv"])
def test_anonymous_visitors_are_sent_to_log_in(client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_no_one_can_change_the_log_through_the_web(client, admin, method):
    event = row(comment="as it was")
    login(client, admin)
    assert getattr(client, method)(LOG, data={"comment": "rewritten"}).status_code == 405
    assert db.session.get(AuditEvent, event.id).comment == "as it was"


def test_a_row_cannot_be_changed_or_deleted_in_the_database_session(ctx):
    event = row(comment="as it was")
    event.comment = "rewritten"
    with pytest.raises(ValueError, match="append-only"):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.get(AuditEvent, event.id))
    with pytest.raises(ValueError, match="append-only"):
        db.session.flush()
    db.session.rollback()
    assert db.session.get(AuditEvent, event.id).comment == "as it was"


def test_the_page_costs_the_same_queries_however_many_rows_and_actors(client, admin):
    def queries_for_page() -> int:
        with count_queries() as statements:
            assert client.get(LOG).status_code == 200
        return len(statements)

    login(client, admin)
    row(actor=admin)
    few = queries_for_page()
    for n in range(60):
        row("proposal", n + 1, "award", make_user(Role.CHAIR), f"row {n}")
    assert queries_for_page() == few


def test_downloading_the_log_is_itself_a_row_of_the_log(client, admin):
    row(comment="first")
    login(client, admin)
    response = client.get(f"{LOG}.csv?action=update")
    assert response.status_code == 200 and "first" in response.get_data(as_text=True)
    export = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export")).one()
    assert export.actor_id == admin.id
    assert export.comment == "audit log (CSV, 1 rows): action=update"
    assert "audit log (CSV, 1 rows)" in listed(client.get(LOG))


def test_wrong_passwords_locks_and_deactivated_accounts_are_written_as_refused_logins(client, app):
    user = make_user(Role.APPLICANT, email="nadia@example.org", password="right password 1")
    for _ in range(app.config["LOGIN_FAILURE_LIMIT"]):
        client.post("/account/login", data={"email": user.email, "password": "wrong"})
    refused = db.session.scalars(
        select(AuditEvent.comment).where(
            AuditEvent.subject_id == user.id, AuditEvent.action == "login_refused"
        )
    ).all()
    assert refused == ["wrong password"] * app.config["LOGIN_FAILURE_LIMIT"]
    locked = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.subject_id == user.id, AuditEvent.action == "login_locked"
        )
    ).all()
    assert len(locked) == 1 and locked[0].actor_id is None


def test_a_login_refused_to_a_deactivated_account_is_written_in_the_log(client):
    other = make_user(email="gone@example.org", password="right password 2", active=False)
    client.post("/account/login", data={"email": other.email, "password": "right password 2"})
    comments = db.session.scalars(
        select(AuditEvent.comment).where(AuditEvent.subject_id == other.id)
    ).all()
    assert comments == ["account deactivated"]


@pytest.mark.parametrize(
    "locale, message",
    [("fr", "N'est pas un choix valide"), ("es", "Opción inválida"), ("pt", "Escolha inválida")],
)
def test_the_form_library_s_own_messages_come_in_each_reader_s_language(client, locale, message):
    """WTForms' catalogue is read once per language (fund/forms.py), not once per request: a
    French admin after an English one still reads French."""
    english, reader = make_user(Role.ADMIN), make_user(Role.ADMIN, locale=locale)
    for user, expected in ((english, "Not a valid choice"), (reader, message)):
        login(client, user)
        response = client.get(f"{LOG}?action=delete_everything")
        assert response.status_code == 400
        assert expected in response.get_data(as_text=True).replace("&#39;", "'")
