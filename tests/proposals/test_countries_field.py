"""The proposal form's countries of implementation: a list of checkboxes (no Ctrl-click
multi-select), the same widget as a call's own "several countries" question."""

# The fixtures imported from drafting.py are named as test arguments: that is not a redefinition.
# ruff: noqa: F811

from __future__ import annotations

import re

from fund.extensions import db
from tests.conftest import login
from tests.proposals.drafting import (  # noqa: F401  (fixtures)
    colleague,
    draft,
    form_data,
    member,
    organisation,
)


def _countries_fieldset(page: str) -> str:
    match = re.search(r'<fieldset id="countries".*?</fieldset>', page, re.S)
    assert match, "no countries fieldset"
    return match.group(0)


def test_the_countries_are_checkboxes_with_a_filter_for_scripts(client, member, draft):
    draft.countries = ["UG", "KE"]
    db.session.commit()
    login(client, member)
    page = client.get(f"/proposals/{draft.id}/edit").get_data(as_text=True)
    assert '<select id="countries"' not in page and "Hold Ctrl" not in page
    fieldset = _countries_fieldset(page)
    assert "<legend>Countries of implementation</legend>" in fieldset
    assert 'data-filterable="countries"' in fieldset
    assert (
        '<label><input type="checkbox" name="countries" value="UG" checked> Uganda</label>'
    ) in fieldset
    assert 'name="countries" value="KE" checked>' in fieldset
    assert 'name="countries" value="TZ">' in fieldset
    assert len(re.findall(r'type="checkbox"', fieldset)) > 200


def test_ticked_countries_are_saved_and_an_unknown_one_is_refused_beside_the_list(
    client, member, draft
):
    login(client, member)
    saved = client.post(
        f"/proposals/{draft.id}/edit", data=form_data(draft, countries=["TZ", "RW"])
    )
    assert saved.status_code == 302
    assert db.session.get(type(draft), draft.id).countries == ["TZ", "RW"]
    draft = db.session.get(type(draft), draft.id)
    refused = client.post(f"/proposals/{draft.id}/edit", data=form_data(draft, countries=["ZZ"]))
    assert refused.status_code == 400
    fieldset = _countries_fieldset(refused.get_data(as_text=True))
    assert 'aria-describedby="countries-hint countries-error" aria-invalid="true"' in fieldset
    assert '<p class="error" id="countries-error">ZZ is not a country code we know.</p>' in fieldset
