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


class Shown:
    """An object with markup of its own, as a lazy translation or a form field has."""

    def __html__(self) -> str:
        return "<em>trusted</em>"


class Text(str):
    """A str subclass without markup: escaped like a str."""


def values() -> list:
    from decimal import Decimal

    from jinja2 import ChainableUndefined, Undefined
    from markupsafe import Markup

    return [
        "plain",
        "<script>alert('x') & \"y\"</script>",
        "",
        Markup("<b>bold</b> &amp;"),
        Markup("<i>%s</i>") % "<not markup>",
        Text("<text & subclass>"),
        Shown(),
        0,
        -12,
        3.5,
        Decimal("1234.50"),
        None,
        True,
        ["<a>", 1],
        Undefined(name="missing"),
        ChainableUndefined(name="chained"),
    ]


def test_values_written_out_are_escaped_as_markupsafe_escapes_them():
    from markupsafe import escape

    from fund.jinja_env import escape_output

    for value in values():
        written = escape_output(value)
        assert isinstance(written, str)
        assert written == str(escape(value)), value


def test_a_lazy_translation_is_written_as_it_is(app):
    from markupsafe import escape

    from fund.i18n import lazy_gettext as _l
    from fund.jinja_env import escape_output

    with app.test_request_context("/"):
        lazy = _l("Dashboard")
        assert escape_output(lazy) == str(escape(lazy)) == "Dashboard"


# Output in each place a template writes it: a plain value, a macro's result, a caller, a
# captured block, a filter block, a concatenation, a loop, an include-like call of a macro
# with markup, and text inside {% autoescape false %}.
EVERYWHERE = """
{%- macro cell(v) %}<td>{{ v }}</td>{% endmacro -%}
{%- macro wrap() %}<div>{{ caller() }}</div>{% endmacro -%}
{%- set captured %}<p>{{ values[1] }}</p>{% endset -%}
{%- for v in values %}[{{ v }}]{{ cell(v) }}{% endfor -%}
{{ captured }}{{ captured|length }}
{%- call wrap() %}{{ values[1] }}{{ values[3] }}{% endcall -%}
{%- filter upper %}{{ values[1] }}{% endfilter -%}
{{ values[0] ~ values[1] ~ values[3] }}{{ values[1]|e }}{{ values[3]|safe }}
{{- values[1]|striptags }}
{%- autoescape false %}{{ values[1] }}{% endautoescape -%}
"""


def test_templates_write_the_same_as_jinja_with_markupsafe_escape(app):
    """The app's environment writes every kind of output exactly as a plain Jinja environment
    with autoescaping does."""
    plain = Environment(autoescape=True).from_string(EVERYWHERE).render(values=values())
    ours = app.jinja_env.from_string(EVERYWHERE)
    assert ours.render(values=values()) == plain
    assert "&lt;script&gt;" in plain and "<em>trusted</em>" in plain


def test_compiled_templates_write_out_through_escape_output(app):
    """The name the compiled template calls for output is ours, for templates from strings and
    from files alike (the check that a Jinja upgrade has not moved it)."""
    from fund.jinja_env import escape_output

    from_file = app.jinja_env.get_template("base.html")
    from_string = app.jinja_env.from_string("{{ x }}")
    for template in (from_file, from_string):
        assert template.root_render_func.__globals__["escape"] is escape_output
