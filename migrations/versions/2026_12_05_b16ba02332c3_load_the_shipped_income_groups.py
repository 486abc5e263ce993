"""Load the World Bank income groups the application ships, when no list is loaded yet

Without a list every country is "not classified" and nobody can apply until an operator runs
`flask fund load-income-groups`; a fresh install now has the shipped list from its first
`flask db upgrade`. A database that already holds a list (any fiscal year) is left alone. If the
configured fiscal year (INCOME_GROUP_FISCAL_YEAR) is not in the shipped file, nothing is loaded
and the secretariat's dashboard says so.

Data only: the schema does not change.

Revision ID: b16ba02332c3
Revises: dd277e00bbc4
Create Date: 2026-12-05 08:30:00

"""
import logging
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op
from flask import current_app

from fund.income_groups import SHIPPED, SHIPPED_SOURCE, IncomeListError, parse
from fund.models.base import UTCDateTime

# revision identifiers, used by Alembic.
revision = 'b16ba02332c3'
down_revision = 'dd277e00bbc4'
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")

# The tables as they stand at this revision (not the models, which may move on).
lists = sa.table(
    "income_group_lists",
    sa.column("id", sa.Integer),
    sa.column("fiscal_year", sa.String),
    sa.column("source", sa.String),
    sa.column("loaded_at", UTCDateTime()),
)
entries = sa.table(
    "income_group_entries",
    sa.column("list_id", sa.Integer),
    sa.column("country_code", sa.String),
    sa.column("income_group", sa.String),
)


def upgrade():
    connection = op.get_bind()
    if connection.scalar(sa.select(sa.func.count()).select_from(lists)):
        return
    fiscal_year = current_app.config["INCOME_GROUP_FISCAL_YEAR"]
    try:
        groups = parse(SHIPPED.read_text(encoding="utf-8"), fiscal_year)
    except IncomeListError as error:
        log.warning("No income groups loaded for %s: %s", fiscal_year, error)
        return
    list_id = connection.execute(
        lists.insert()
        .values(fiscal_year=fiscal_year, source=SHIPPED_SOURCE, loaded_at=datetime.now(UTC))
        .returning(lists.c.id)
    ).scalar_one()
    connection.execute(
        entries.insert(),
        [
            {"list_id": list_id, "country_code": code, "income_group": group.value}
            for code, group in sorted(groups.items())
        ],
    )
    log.info("Loaded the shipped income groups for %s (%d countries).", fiscal_year, len(groups))


def downgrade():
    # The list stays: it is valid data for the schema before this revision too, and it may have
    # been used (eligibility decisions refer to it).
    pass
