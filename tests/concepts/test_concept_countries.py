"""The concept note's countries are the proposal form's checkbox list, which scripts give a
filter box: never a Ctrl-click multi-select; an unknown code is a field error."""

from __future__ import annotations

import re

from fund.extensions import db
from tests.concepts.helpers import concept_note
from tests.conftest import login


def test_the_countries_are_ticked_in_a_checkbox_list(client):
    member, proposal = concept_note()
    proposal.countries = ["UG"]
    db.session.commit()
    login(client, member)
    page = client.get(f"/proposals/{proposal.id}/concept/edit").get_data(as_text=True)
    fieldset = re.search(r'<fieldset id="countries".*?</fieldset>', page, re.S).group(0)
    assert "<select" not in fieldset and "Hold Ctrl" not in page
    assert 'data-filterable="countries"' in fieldset
    assert '<label><input type="checkbox" name="countries" value="UG" checked> Uganda' in fieldset
    assert "/static/proposal." in page  # the script that adds the filter box


def test_a_country_not_in_the_list_is_a_field_error(client):
    member, proposal = concept_note()
    login(client, member)
    response = client.post(
        f"/proposals/{proposal.id}/concept/edit",
        data={"lock_version": proposal.lock_version, "title": "T", "countries": ["ZZ"]},
    )
    assert response.status_code == 400
    assert "ZZ is not a country code we know." in response.get_data(as_text=True)
