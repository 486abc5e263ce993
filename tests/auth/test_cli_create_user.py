"""`flask fund create-user`: the operator's way to make accounts, the first admin above all."""

import pytest
from sqlalchemy import func, select

from fund.extensions import db
from fund.models import Role, User
from tests.auth.conftest import is_signed_in, submit_login, user_by_email
from tests.conftest import make_user

EMAIL = "admin@example.org"
PASSWORD = "a long operator password"


def create_user(
    runner,
    *args: str,
    email: str = EMAIL,
    password: str = PASSWORD,
    name: str = "Ada Admin",
    roles: tuple[str, ...] = ("admin",),
):
    role_args = [arg for role in roles for arg in ("--role", role)]
    return runner.invoke(
        args=[
            "fund",
            "create-user",
            email,
            "--name",
            name,
            "--password",
            password,
            *role_args,
            *args,
        ],
    )


def user_count() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def test_creates_a_verified_active_user_with_the_roles_given(runner, ctx):
    """The account exists, is active and verified, and holds exactly the roles given."""
    result = create_user(runner, roles=("admin", "chair"))
    assert result.exit_code == 0, result.output
    assert f"Created {EMAIL} (admin, chair)." in result.output
    user = user_by_email(EMAIL)
    assert user.active and user.email_verified
    assert user.roles == {Role.ADMIN, Role.CHAIR}
    assert user.name == "Ada Admin"


def test_the_new_user_can_log_in_through_the_form(runner, client):
    """The password given on the command line works on the login form."""
    assert create_user(runner).exit_code == 0
    response = submit_login(client, EMAIL, PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard"
    assert is_signed_in(client)
    assert client.get("/admin/users").status_code == 200


def test_address_is_stored_in_lower_case(runner, ctx):
    """An address typed in capitals is stored as the login form will look it up."""
    assert create_user(runner, email="Ada@Example.ORG").exit_code == 0
    assert user_by_email("ada@example.org") is not None


def test_locale_option_sets_the_language(runner, ctx):
    assert create_user(runner, "--locale", "pt").exit_code == 0
    assert user_by_email(EMAIL).locale == "pt"


@pytest.mark.parametrize(
    "email",
    [
        "not-an-address",
        "@example.org",
        "ada@",
        "ada@@example.org",
        "ada smith@example.org",
        "ada@example",
        "Ada <ada@example.org>",
    ],
)
def test_bad_address_is_refused(runner, ctx, email):
    """An address that is not one exits non-zero, naming the problem, and creates nobody."""
    result = create_user(runner, email=email)
    assert result.exit_code != 0
    assert "is not an e-mail address" in result.output
    assert user_count() == 0


def test_short_password_is_refused(runner, ctx):
    result = create_user(runner, password="short")
    assert result.exit_code != 0
    assert "use at least 10 characters" in result.output
    assert user_count() == 0


def test_unknown_role_is_refused(runner, ctx):
    """A role that does not exist exits non-zero listing the ones that do."""
    result = create_user(runner, roles=("superuser",))
    assert result.exit_code != 0
    assert "'superuser' is not one of" in result.output
    assert "'admin'" in result.output
    assert user_count() == 0


def test_a_role_is_required(runner, ctx):
    result = create_user(runner, roles=())
    assert result.exit_code != 0
    assert "--role" in result.output
    assert user_count() == 0


def test_blank_name_is_refused(runner, ctx):
    result = create_user(runner, name="   ")
    assert result.exit_code != 0
    assert "give the person's name" in result.output
    assert user_count() == 0


@pytest.mark.parametrize("name", ["A" * 121, "Ada\nAdmin", "Ada\x00Admin"])
def test_overlong_or_multiline_name_is_refused(runner, ctx, name):
    """A name the form would refuse is refused here too, with a message, not a database error."""
    result = create_user(runner, name=name)
    assert result.exit_code == 1
    assert "Give a name of one line and at most 120 characters." in result.output
    assert "Traceback" not in result.output
    assert user_count() == 0


def test_overlong_address_is_refused(runner, ctx):
    result = create_user(runner, email="a" * 250 + "@example.org")
    assert result.exit_code != 0
    assert "is not an e-mail address" in result.output
    assert user_count() == 0


@pytest.mark.parametrize("email", [EMAIL, EMAIL.upper()])
def test_duplicate_address_is_refused(runner, ctx, email):
    """An address already in use (in any case) exits non-zero and changes nothing."""
    existing = make_user(Role.APPLICANT, email=EMAIL)
    result = create_user(runner, email=email)
    assert result.exit_code != 0
    assert "An account with this e-mail address already exists." in result.output
    assert user_count() == 1
    assert user_by_email(EMAIL).roles == {Role.APPLICANT}
    assert user_by_email(EMAIL).password_hash == existing.password_hash
