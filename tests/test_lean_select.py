"""The lean select widget (fund/forms.py) writes exactly the HTML of WTForms' own, only faster,
and every plain select of the app's forms goes through it."""

from __future__ import annotations

import pytest
from markupsafe import Markup
from wtforms import (
    BooleanField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    widgets,
)
from wtforms.validators import DataRequired

from fund.forms import FlaskForm, LeanSelect

CHOICES = [
    ("", "Any country"),
    ("CI", "Côte d'Ivoire"),
    ("X<Y", 'Say "hi" & <b>go</b>'),
    ("UG", "Uganda"),
]


class Filters(FlaskForm):
    """Choices set after construction, as the app's forms do (tuples given to the field's
    constructor are deprecated in WTForms 3.3)."""

    class Meta:
        csrf = False

    country = SelectField("Country")
    many = SelectMultipleField("Countries")
    grouped = SelectField("Grouped")
    flags = SelectField("Yes or no", coerce=lambda v: v in (True, "True"))
    styled = SelectField("Styled")
    needed = SelectField("Needed", validators=[DataRequired()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = self.many.choices = CHOICES
        self.grouped.choices = {"Africa": [("UG", "Uganda")], "Asia": [("IN", "India")]}
        self.flags.choices = [(True, "Yes"), (False, "No")]
        self.styled.choices = [("a", "A", {"data-x": "1"}), ("b", "B", {"disabled": True})]
        self.needed.choices = [("", "Choose"), ("y", "Yes")]


def wtforms_html(field, **attrs) -> str:
    widget = widgets.Select(multiple=isinstance(field, SelectMultipleField))
    return str(widget(field, **attrs))


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"country": "CI", "many": ["UG", "X<Y"], "grouped": "IN", "flags": "True", "styled": "b"},
        {"country": "X<Y"},
    ],
)
def test_the_lean_select_writes_what_wtforms_writes(app, data):
    from werkzeug.datastructures import MultiDict

    with app.test_request_context():
        form = Filters(MultiDict(data))
        attributes = {
            "aria-invalid": "true",
            "class_": "wide",
            "data_limit": 3,
            "title": Markup('Say "which"'),
            "maxlength": False,
            "autofocus": True,
        }
        for field in form:
            expected = wtforms_html(field, **attributes)
            assert str(field(**attributes)) == expected, field.name
            assert isinstance(field.widget, LeanSelect)
        assert 'required class="wide"' not in expected and " required" in str(form.needed())


class Inputs(FlaskForm):
    class Meta:
        csrf = False

    name = StringField("Name", validators=[DataRequired()])
    secret = PasswordField("Secret")
    agreed = BooleanField("Agreed")
    count = IntegerField("Count")


def test_inputs_write_their_attributes_as_wtforms_does(app):
    """Inputs write their attributes without WTForms' formatter, to the same HTML; the field
    gets its own copy of the widget, so WTForms' shared one is left as it was."""
    from werkzeug.datastructures import MultiDict

    attributes = {"class_": "wide", "data_limit": 3, "title": Markup('A "b"'), "x": False}
    with app.test_request_context():
        form = Inputs(MultiDict({"name": 'Ann <"x">', "agreed": "y", "count": "4"}))
        for field in form:
            shared = field.widget
            expected = str(shared(field, **attributes))
            assert str(field(**attributes)) == expected, field.name
            assert field.widget is not shared and shared.html_params is not field.widget.html_params
    assert " required " in expected or "required" in str(form.name())


def test_the_option_label_and_value_are_escaped(app):
    with app.test_request_context():
        html = str(Filters(country="X<Y").country())
    assert (
        '<option selected value="X&lt;Y">Say &#34;hi&#34; &amp; &lt;b&gt;go&lt;/b&gt;</option>'
        in html
    )
    assert "<b>" not in html


def test_a_filter_page_with_the_country_list_shows_every_country_once(client):
    from fund.models import Role
    from tests.conftest import login, make_call, make_user

    call = make_call()
    login(client, make_user(Role.ADMIN))
    html = client.get(f"/screening/calls/{call.id}?country=UG").get_data(as_text=True)
    assert html.count('value="UG">Uganda</option>') == 1
    assert '<option selected value="UG">Uganda</option>' in html
    assert html.count("<option ") > 240


@pytest.mark.parametrize("chosen", ["", "CI", "UG"])
@pytest.mark.parametrize("locale", ["en", "fr"])
def test_the_country_filter_writes_what_wtforms_writes(app, chosen, locale):
    """The screening's country filter keeps its options written once per language: the select
    is WTForms' own for the same choices, whichever country is chosen, in each language."""
    from flask_babel import force_locale
    from werkzeug.datastructures import MultiDict

    from fund.countries import country_choices
    from fund.reviews.forms import ScreeningFilterForm

    with app.test_request_context(), force_locale(locale):
        for _ in range(2):  # the second time from the options kept
            form = ScreeningFilterForm(MultiDict({"country": chosen}), states=[])
            field = form.country
            choices = [("", str(field.any_label)), *country_choices()]
            stock = SelectField(field.label.text).bind(form, "country")
            stock.choices = choices  # after construction, as the app's forms do
            stock.process(MultiDict({"country": chosen}))
            expected = wtforms_html(stock, class_="wide")
            assert str(field(class_="wide")) == expected
            assert expected.count(" selected ") == 1
