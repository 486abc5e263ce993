"""The template environment reads a dict's keys written as attributes without the failed
attribute lookup, with the same results as Jinja's own rule (fund/jinja_env.py)."""

from __future__ import annotations

from collections import defaultdict

from flask import render_template_string
from jinja2 import Environment

from fund.jinja_env import TemplateEnvironment

TEMPLATE = (
    "{{ d.total }}|{{ d.missing is undefined }}|{{ d.items() | list | length }}|"
    "{{ d.get('total') }}|{{ dd.total }}|{{ n.total }}|{{ d['keys'] }}|{{ d.keys is callable }}"
)


def render(environment: Environment) -> str:
    d = {"total": 3, "keys": "a key named like a method"}
    dd = defaultdict(int, total=4)
    n = type("Row", (), {"total": 5})()
    return environment.from_string(TEMPLATE).render(d=d, dd=dd, n=n)


def test_dict_keys_read_as_attributes_give_what_jinja_gives(app):
    assert isinstance(app.jinja_env, TemplateEnvironment)
    plain = render(Environment(autoescape=True))
    assert plain == "3|True|2|3|4|5|a key named like a method|True"
    assert render(app.jinja_env) == plain


def test_a_dict_read_by_attribute_raises_no_attribute_error(app, monkeypatch):
    """The fast paths: a plain dict's key or method, or an object's attribute, is read without
    Jinja's own lookup; only a failed attribute (a defaultdict's key) goes Jinja's way."""
    tried = []
    original = Environment.getattr

    def spy(self, obj, attribute):
        tried.append(attribute)
        return original(self, obj, attribute)

    monkeypatch.setattr(Environment, "getattr", spy)
    with app.test_request_context("/"):
        shown = render_template_string(
            "{{ d.total }}{{ d.items() | length }}{{ n.total }}{{ dd.total }}",
            d={"total": 7},
            n=type("Row", (), {"total": 5})(),
            dd=defaultdict(int, total=4),
        )
    assert shown == "7154"
    assert tried == ["total"]  # the defaultdict's, whose attribute lookup failed
