"""LIKE patterns for bound text (fund/like.py): the text typed is found as it is, on the
database the tests run on."""

from __future__ import annotations

import pytest
from sqlalchemy import bindparam, literal, select

from fund import like
from fund.extensions import db


def matches(value: str, text: str) -> bool:
    statement = select(literal(value).like(bindparam("pattern"), escape=like.ESCAPE))
    return bool(db.session.scalar(statement, {"pattern": like.containing(text)}))


@pytest.mark.parametrize(
    ("value", "text", "found"),
    [
        ("100% Kids", "100%", True),
        ("1000 Kids", "100%", False),
        ("k_ids", "k_i", True),
        ("kids", "k_i", False),
        ("Kids/100", "s/1", True),
        ("Kids 100", "s/1", False),
        ("a//b", "//", True),
        ("a/b", "//", False),
        ('["parenting", "income_economic"]', '"income_economic"', True),
        ('["parenting", "incomeXeconomic"]', '"income_economic"', False),
    ],
)
def test_the_text_is_found_as_typed(ctx, value, text, found):
    assert matches(value, text) is found
