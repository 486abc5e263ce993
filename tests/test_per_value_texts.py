"""Texts repeated down a list are translated once per distinct value (issue 14): the late
reviews' "n days late" and the chairs' "n of m approvals", each still right on every row and
in the reader's language."""

from __future__ import annotations

from fund import i18n
from fund.admin import overview_views
from fund.main import dashboard
from fund.models import Role
from fund.per_value import PerValue
from tests.admin.overview_data import make_review, proposal_in
from tests.conftest import login, make_call, make_user
from tests.decisions.test_chair_dashboard import approve, panel

DAYS_LATE = "%(num)d day late"
APPROVALS = "%(n)d of %(needed)d approvals"


def translated(monkeypatch) -> list[str]:
    """Each message id translated from now on, by a template or by Python."""
    ids: list[str] = []
    real = i18n.request_translations

    class Counted:
        """The request's translations, noting each lookup."""

        def __init__(self, translations) -> None:
            self.translations = translations

        def __getattr__(self, name):
            return getattr(self.translations, name)

        def ugettext(self, string):
            ids.append(string)
            return self.translations.ugettext(string)

        def ungettext(self, singular, plural, n):
            ids.append(singular)
            return self.translations.ungettext(singular, plural, n)

    monkeypatch.setattr(i18n, "request_translations", lambda: Counted(real()))
    for module, name in ((overview_views, "ngettext"), (dashboard, "_")):
        python = getattr(module, name, None)
        if python is None:  # this module translates nothing itself
            continue

        def noted(string, *args, _python=python, **variables):
            ids.append(string)
            return _python(string, *args, **variables)

        monkeypatch.setattr(module, name, noted)
    return ids


def test_a_value_is_worked_out_once_and_kept():
    worked: list[int] = []
    texts = PerValue(lambda n: worked.append(n) or f"{n} days")
    assert [texts[2], texts[3], texts[2]] == ["2 days", "3 days", "2 days"]
    assert worked == [2, 3]


def test_days_late_are_translated_once_per_number_of_days(client, monkeypatch):
    call = make_call()
    for days in (1, 3, 3, 3, 3):
        make_review(proposal_in(call), make_user(Role.REVIEWER), due_in_days=-days)
    login(client, make_user(Role.ADMIN))
    ids = translated(monkeypatch)
    html = client.get("/admin/overview/reviews?when=overdue").text
    assert html.count("(3 days late)") == 4 and html.count("(1 day late)") == 1
    assert ids.count(DAYS_LATE) == 2


def test_days_late_read_in_the_readers_language(client):
    make_review(proposal_in(make_call()), make_user(Role.REVIEWER), due_in_days=-3)
    login(client, make_user(Role.ADMIN, locale="fr"))
    assert "(3 jours de retard)" in client.get("/admin/overview/reviews?when=overdue").text


def test_approvals_are_translated_once_per_tally(client, monkeypatch):
    call = make_call()
    call.chair_approvals_needed = 3
    chair, other = make_user(Role.CHAIR), make_user(Role.CHAIR)
    for _ in range(4):
        approve(proposal_in(call, "reviewed"), other)
    login(client, chair)
    ids = translated(monkeypatch)
    approvals = panel(client.get("/dashboard").text, "chair-approvals")
    assert approvals.count("1 of 3 approvals") == 4
    assert ids.count(APPROVALS) == 1
