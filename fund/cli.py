"""`flask --app wsgi fund ...`: operator commands. Each refuses bad arguments with a clear
message and a non-zero exit."""

from __future__ import annotations

import json

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select

from fund import clock, income_groups, outbox, storage
from fund.admin import retention
from fund.auth import services as accounts
from fund.extensions import db
from fund.forms import PASSWORD_MIN
from fund.models import Role, User
from fund.models.base import utcnow
from fund.opendata import package as opendata_package
from fund.opendata import schema as opendata_schema


@click.group("fund")
def fund_cli() -> None:
    """INSPIRE Fund operator commands."""


@fund_cli.command("create-user")
@click.argument("email")
@click.option("--name", required=True, help="The person's full name.")
@click.option(
    "--role",
    "roles",
    multiple=True,
    required=True,
    type=click.Choice([r.value for r in Role]),
    help="A role; repeat for several.",
)
@click.option("--password", required=True, help=f"At least {PASSWORD_MIN} characters.")
@click.option("--locale", default="en", type=click.Choice(["en", "fr", "es", "pt"]))
@with_appcontext
def create_user(email: str, name: str, roles: tuple[str, ...], password: str, locale: str):
    """Create a verified, active account (the way to make the first admin)."""
    if "@" not in email or email.startswith("@") or email.endswith("@"):
        raise click.BadParameter(f"{email!r} is not an e-mail address.", param_hint="EMAIL")
    if len(password) < PASSWORD_MIN:
        raise click.BadParameter(
            f"use at least {PASSWORD_MIN} characters.", param_hint="--password"
        )
    if not name.strip():
        raise click.BadParameter("give the person's name.", param_hint="--name")
    try:
        user = accounts.create_user(
            email=email,
            name=name,
            password=password,
            locale=locale,
            roles=tuple(Role(r) for r in roles),
            verified_at=utcnow(),
        )
    except accounts.AccountError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Created {user.email} ({', '.join(sorted(roles))}).")


@fund_cli.command("send-mail")
@with_appcontext
def send_mail():
    """Send queued e-mail that is due; failures are retried later with back-off."""
    sent, failed = outbox.send_due()
    click.echo(f"Sent {sent} message(s); {failed} failed and will be retried.")


@fund_cli.command("send-reminders")
@click.option(
    "--now",
    "now_text",
    default=None,
    metavar="ISO",
    help="Pretend it is this time (ISO 8601; UTC unless it names a zone).",
)
@with_appcontext
def send_reminders(now_text: str | None):
    """Send the reminders that are due (run daily): reviews 3 days before and once overdue;
    progress reports 14 days before, on the day and 7 days after; the weekly overdue digest;
    unsubmitted drafts 7 days and 1 day before their call closes."""
    from datetime import UTC, datetime

    from fund import clock
    from fund.reviews import reminders

    if now_text:
        try:
            now = datetime.fromisoformat(now_text)
        except ValueError:
            raise click.BadParameter(
                f"{now_text!r} is not an ISO 8601 time, e.g. 2027-05-01T08:00.", param_hint="--now"
            ) from None
        now = now.replace(tzinfo=UTC) if now.tzinfo is None else now.astimezone(UTC)
    else:
        now = clock.now()
    queued = reminders.send_reminders(now)
    click.echo(f"Queued {queued} review reminder(s).")
    from fund.grants.reminders import send_report_reminders  # grantees and the weekly digest

    click.echo(f"Queued {send_report_reminders(now)} report reminder(s).")
    from fund.proposals.draft_reminders import send_draft_reminders  # drafts before a call closes

    click.echo(f"Queued {send_draft_reminders(now)} draft reminder(s).")


@fund_cli.command("requeue-mail")
@with_appcontext
def requeue_mail():
    """Put the messages marked failed back in the queue; the next send-mail tries them again."""
    count = outbox.requeue_failed()
    click.echo(f"Requeued {count} failed message(s).")


@fund_cli.command("load-income-groups")
@click.argument("path", required=False, type=click.Path(exists=True, dir_okay=False))
@click.option("--fiscal-year", default=None, help="e.g. FY2027 (default: the configured year).")
@with_appcontext
def load_income_groups(path: str | None, fiscal_year: str | None):
    """Load World Bank income groups (the shipped list when no PATH is given)."""
    fiscal_year = fiscal_year or income_groups.current_fiscal_year()
    try:
        if path:
            with open(path, encoding="utf-8-sig") as handle:
                loaded = income_groups.load(handle.read(), source=path, fiscal_year=fiscal_year)
        else:
            loaded = income_groups.load_shipped(fiscal_year)
    except (income_groups.IncomeListError, UnicodeDecodeError) as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Loaded {len(loaded.entries)} countries for {fiscal_year} from {loaded.source}.")


@fund_cli.command("rotate-encryption-key")
@with_appcontext
def rotate_encryption_key():
    """Re-encrypt every encrypted value (bank details) with the first key of
    DATA_ENCRYPTION_KEYS; the other keys listed there only decrypt (README, "Rotating the
    encryption key")."""
    from fund.encryption import EncryptionKeyError
    from fund.payments.rotation import rotate_all

    try:
        count = rotate_all()
    except EncryptionKeyError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Re-encrypted {count} values with the first key.")


@fund_cli.command("export-360giving")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="The JSON file to write (default: print it).",
)
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Only grants awarded on or after this date (YYYY-MM-DD).",
)
@with_appcontext
def export_360giving(output: str | None, since):
    """Write the published grants as a 360Giving data package (JSON, schema 1.4.3), checked
    against the shipped schema first."""
    grants = opendata_package.published_grants(since.date() if since else None)
    if not grants:
        raise click.ClickException("No published grant to export (for that period).")
    data = opendata_package.package(grants, opendata_package.Publisher.from_config(), utcnow())
    problems = opendata_schema.errors(data)
    if problems:
        raise click.ClickException("The package breaks the 360Giving schema: " + problems[0])
    text = json.dumps(data, ensure_ascii=False, indent=1)
    if output:
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(text)
        click.echo(f"Wrote {len(grants)} grant(s) to {output}.")
    else:
        click.echo(text)


@fund_cli.command("apply-retention")
@click.option("--dry-run", is_flag=True, help="Print what is due, change nothing.")
@with_appcontext
def apply_retention(dry_run: bool):
    """Remove what the retention schedule says is due today (daily from cron)."""
    run = retention.apply(clock.now(), dry_run=dry_run)
    if not dry_run:
        outbox.commit()
        storage.delete_after_commit(run.files)
    for name, label in retention.RULES:
        click.echo(f"{name}: {run.counts.get(name, 0)}  ({label})")
    click.echo("Dry run: nothing changed." if dry_run else "Done.")


@fund_cli.command("recompute-scores")
@click.option("--call", "call_id", type=int, default=None, help="Only this call (its id).")
@with_appcontext
def recompute_scores(call_id: int | None):
    """Rebuild the reviews' weighted scores and the ranking's statistics from the reviews.

    They are kept at each change; this is for rows written around the app (bulk loads,
    hand-made fixes) and after a change to how the statistics are worked out.
    """
    from fund.decisions import scores
    from fund.models import Call

    if call_id is not None and db.session.get(Call, call_id) is None:
        raise click.BadParameter(f"There is no call {call_id}.", param_hint="--call")
    done = scores.recompute(db.session.connection(), call_id)
    db.session.commit()
    for cid, written in done:
        click.echo(f"call {cid}: {written} row(s) changed")
    click.echo(f"Recomputed {len(done)} call(s).")


@fund_cli.command("recount-reviews")
@with_appcontext
def recount_reviews():
    """Rebuild the counts of waiting reviews (the overview's late reviews, the reviewer's
    panel) from the reviews.

    They are kept at each change; this is for rows written around the app (bulk loads,
    hand-made fixes) and after a change to what counts as waiting.
    """
    from fund.reviews import waiting

    written = waiting.recount_all(db.session.connection())
    db.session.commit()
    click.echo(f"Recounted the waiting reviews: {written} row(s).")


@fund_cli.command("recount-calls")
@with_appcontext
def recount_calls():
    """Rebuild each call's figures (proposals per state, money awarded and paid: the overview,
    the chairs' dashboard) from the proposals and grants.

    They are kept at each change; this is for rows written around the app (bulk loads,
    hand-made fixes).
    """
    from fund.calls import figures

    recounted = figures.recount_all(db.session.connection())
    db.session.commit()
    click.echo(f"Recounted the figures of {recounted} call(s).")


@fund_cli.command("seed-demo")
@with_appcontext
def seed_demo():
    """Fill an empty database with demo data; prints the demo accounts and passwords."""
    from fund import demo

    if db.session.scalar(select(func.count()).select_from(User)):
        raise click.ClickException(
            "The database already has users; seed-demo only fills an empty one."
        )
    accounts_made = demo.seed()
    db.session.commit()
    click.echo("Demo data created. Accounts (e-mail / password / roles):")
    for email, password, roles in accounts_made:
        click.echo(f"  {email:<32} {password:<20} {', '.join(roles)}")
