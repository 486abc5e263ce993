"""The demo shows amendments: one grantee's no-cost extension waits for the secretariat."""

from __future__ import annotations

from fund.extensions import db
from fund.models import GrantAmendment, User
from tests.conftest import login


def test_the_demo_has_one_extension_waiting_for_the_secretariat(runner, ctx, client):
    result = runner.invoke(args=["fund", "seed-demo"])
    assert result.exit_code == 0, result.output
    pending = db.session.scalars(db.select(GrantAmendment)).all()
    assert [(a.kind, a.state) for a in pending] == [("extension", "requested")]
    admin = db.session.scalar(db.select(User).where(User.email == "admin@example.org"))
    login(client, admin)
    grants = client.get("/grants/").get_data(as_text=True)
    assert "/grants/amendments/" in grants  # the secretariat finds the list from its grants
    listing = client.get("/grants/amendments/").get_data(as_text=True)
    assert "Safe routes to school in Gulu" in listing and "No-cost extension" in listing
    page = client.get(f"/grants/amendments/{pending[0].id}").get_data(as_text=True)
    assert pending[0].after["end_on"] in page and "Approve the amendment" in page
