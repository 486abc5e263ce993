"""The shared form macro shows limits without letting the browser cut text."""

from tests.conftest import login, make_organisation, make_user


def test_text_fields_show_their_limit_but_have_no_maxlength(client):
    """A pasted text over the limit is kept for the user to shorten, not silently cut."""
    user = make_user()
    organisation = make_organisation(user)
    login(client, user)
    html = client.get(f"/organisations/{organisation.id}/edit").get_data(as_text=True)
    assert 'data-limit="200"' in html
    assert "Up to 200 characters." in html
    assert "maxlength" not in html
