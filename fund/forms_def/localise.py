"""A call's texts in its other languages.

The call keeps its texts (title, description, the question definitions of its proposal, report
and concept-note forms, the rubric, its own letters and agreement) in its main language, in the
shape they have always had; the other languages' texts sit beside them in `calls.translations`,
{language: {key: text}}, keyed by stable ids (`Text.key` below). Reading a call in a language
puts that language's texts in, text by text: a text the secretariat translated wins; else a
text of the shipped templates left as it was is read in the reader's language from the app's
catalogue (fund/forms_def/standard.py); else the main language's. Renderers receive an already
localised definition and need not know about languages.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from flask_babel import get_locale
from flask_babel import gettext as _

from fund.forms_def.definition import load
from fund.forms_def.standard import STANDARD_TEXTS
from fund.forms_def.standard import text as template_text
from fund.i18n import lazy_gettext as _l

LETTER_PARTS = ("subject", "body")
LETTER_NAMES = {
    "award": _l("Award letter"),
    "decline": _l("Decline letter"),
    "request_revision": _l("Revision request letter"),
    "concept_invited": _l("Concept note invitation letter"),
    "concept_declined": _l("Concept note decline letter"),
}
# The forms of a call whose texts are translated, in the order the Translations page lists them.
FORM_COLUMNS = ("proposal_form", "concept_form", "report_form")
PART_NAMES = {"subject": _l("subject"), "body": _l("text")}


@dataclass(frozen=True)
class Text:
    """One translatable text of a call: its key, what it is (for the secretariat), the text in
    the main language, and whether it is written on several lines."""

    key: str
    what: str
    main: str
    long: bool = False


def definition_texts(definition: dict[str, Any] | None) -> Iterator[Text]:
    """The texts of a form definition: section titles, question labels and help, choices,
    each named by its number in the form so that two look-alike texts are told apart."""
    number = 0
    for n, section in enumerate(load(definition)["sections"], start=1):
        yield Text(section["id"], _("Section %(n)d: title", n=n), section["title"])
        for question in section["questions"]:
            number += 1
            qid = question["id"]
            yield Text(f"{qid}.label", _("Question %(n)d", n=number), question["label"])
            if question.get("help"):
                yield Text(f"{qid}.help", _("Question %(n)d: help", n=number), question["help"])
            for c, choice in enumerate(question.get("choices") or [], start=1):
                yield Text(
                    choice["id"],
                    _("Question %(n)d: choice %(c)d", n=number, c=c),
                    choice["label"],
                )
            for c, column in enumerate(question.get("columns") or [], start=1):
                yield Text(
                    f"{qid}.column:{column['id']}",
                    _("Question %(n)d: column %(c)d", n=number, c=c),
                    column["label"],
                )


def call_texts(call: Any) -> list[Text]:
    """Every text of `call` that can be given in another language, in the order of its pages."""
    texts = [
        Text("title", _("Title"), call.title),
        Text("description", _("Purpose and description"), call.description or "", long=True),
    ]
    if getattr(call, "declaration", ""):
        texts.append(
            Text("declaration", _("Declaration applicants tick"), call.declaration, long=True)
        )
    # The concept-note and report forms are named by their own numbering; a key met twice (a
    # question copied from one form into another keeps its id) is listed once.
    seen: set[str] = set()
    for column, heading in zip(FORM_COLUMNS, _form_headings(), strict=True):
        if column == "concept_form" and not getattr(call, "two_stage", False):
            continue  # asked only on a two-stage call
        for text in definition_texts(getattr(call, column, None)):
            if text.key not in seen:
                seen.add(text.key)
                what = _("%(form)s: %(text)s", form=heading, text=text.what)
                texts.append(Text(text.key, what, text.main, text.long))
    for criterion in call.criteria:
        key, n = f"criterion:{criterion.position}", criterion.position
        texts.append(Text(f"{key}.name", _("Criterion %(n)d: name", n=n), criterion.name))
        if criterion.guidance:
            texts.append(
                Text(
                    f"{key}.guidance",
                    _("Criterion %(n)d: what reviewers look for", n=n),
                    criterion.guidance,
                    long=True,
                )
            )
        for score, meaning in enumerate(criterion.levels or [], start=1):
            texts.append(
                Text(
                    f"{key}.level:{score}",
                    _("Criterion %(n)d: what a score of %(score)d means", n=n, score=score),
                    meaning,
                )
            )
    for outcome, letter in sorted((call.letter_templates or {}).items()):
        for part in LETTER_PARTS:
            if letter.get(part):
                texts.append(
                    Text(
                        f"letter:{outcome}.{part}",
                        _(
                            "%(letter)s: %(part)s",
                            letter=LETTER_NAMES.get(outcome, outcome),
                            part=PART_NAMES[part],
                        ),
                        letter[part],
                        long=part == "body",
                    )
                )
    if call.agreement_template:
        texts.append(Text("agreement", _("Grant agreement terms"), call.agreement_template, True))
    return texts


def _form_headings() -> tuple[str, str, str]:
    return _("Proposal form"), _("Concept-note form"), _("Report form")


def missing_texts(call: Any) -> dict[str, list[Text]]:
    """For each of the call's languages besides the main one, the texts not yet given in it
    (only languages that lack some)."""
    texts = call_texts(call)
    missing = {}
    for language in call.languages or []:
        if language == call.main_language:
            continue
        given = (call.translations or {}).get(language) or {}
        # A template's text left as it was is in the app's catalogue, in every language.
        lacking = [
            t
            for t in texts
            if not (given.get(t.key) or "").strip() and t.main not in STANDARD_TEXTS
        ]
        if lacking:
            missing[language] = lacking
    return missing


def reading_language(call: Any, wanted: str) -> str:
    """The language `call` is read in by someone who reads `wanted`: that one when the call is
    given in it, else the call's main language."""
    return wanted if wanted in (call.languages or []) else call.main_language


def reader_language() -> str:
    """The language the current reader reads (their profile's, else the browser's)."""
    return str(get_locale() or "en")


def reader_call(call: Any) -> LocalCall:
    """`call` as the current reader reads it (for templates: a frozen form in their language,
    and whether the call is given in it)."""
    return LocalCall(call, reader_language())


def local_form(call: Any, wanted: str | None = None, column: str = "proposal_form") -> dict:
    """One of the call's forms (by default the proposal form) as `wanted` (by default the
    current reader) reads it."""
    language = reading_language(call, wanted or reader_language())
    return localise(getattr(call, column), call.translations, language)


def localise(definition: dict[str, Any] | None, texts: dict[str, Any] | None, lang: str) -> dict:
    """A copy of `definition` with the texts of `lang` from `texts` ({language: {key: text}},
    a call's translations) put in; each text with no translation is a template's text in the
    reader's language (template_text) or else keeps the main language's."""
    result = load(definition)
    given = (texts or {}).get(lang) or {}

    def local(key: str, main: str) -> str:
        return given.get(key) or template_text(main)

    for section in result["sections"]:
        section["title"] = local(section["id"], section["title"])
        for question in section["questions"]:
            qid = question["id"]
            question["label"] = local(f"{qid}.label", question["label"])
            if question.get("help"):
                question["help"] = local(f"{qid}.help", question["help"])
            for choice in question.get("choices") or []:
                choice["label"] = local(choice["id"], choice["label"])
            for column in question.get("columns") or []:
                column["label"] = local(f"{qid}.column:{column['id']}", column["label"])
    return result


class LocalCriterion:
    """A criterion of the rubric read in one language (its other attributes are the row's)."""

    def __init__(self, criterion: Any, given: dict[str, str]):
        self._criterion = criterion
        key = f"criterion:{criterion.position}"
        self.name = given.get(f"{key}.name") or criterion.name
        self.guidance = given.get(f"{key}.guidance") or criterion.guidance
        self.levels = [
            given.get(f"{key}.level:{score}") or meaning
            for score, meaning in enumerate(criterion.levels or [], start=1)
        ]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._criterion, name)


class LocalCall:
    """A call read in one language, for pages and letters: its texts in that language where it
    has them, the main language's elsewhere; every other attribute is the call's own.

    Only for reading: queries and writes take the call itself (`LocalCall.call`).
    """

    def __init__(self, call: Any, wanted: str):
        self.call = call
        self.language = reading_language(call, wanted)
        # True when the reader's language is not among the call's: the page says so.
        self.not_in_wanted_language = self.language != wanted
        self._given = (
            {}
            if self.language == call.main_language
            else (call.translations or {}).get(self.language) or {}
        )

    def __getattr__(self, name: str) -> Any:
        return getattr(self.call, name)

    @property
    def title(self) -> str:
        return self._given.get("title") or self.call.title

    @property
    def description(self) -> str:
        return self._given.get("description") or self.call.description

    def read(self, definition: dict[str, Any] | None) -> dict:
        """`definition` in this language: one of the call's forms, or a frozen copy of one
        (a submitted concept note's, a version's), whose ids the translations still key."""
        return localise(definition, {self.language: self._given}, self.language)

    @property
    def declaration(self) -> str:
        return self._given.get("declaration") or self.call.declaration

    @property
    def proposal_form(self) -> dict:
        return self.read(self.call.proposal_form)

    @property
    def concept_form(self) -> dict:
        return self.read(self.call.concept_form)

    @property
    def report_form(self) -> dict:
        return self.read(self.call.report_form)

    @property
    def criteria(self) -> list[LocalCriterion]:
        return [LocalCriterion(c, self._given) for c in self.call.criteria]

    @property
    def letter_templates(self) -> dict:
        return {
            outcome: {
                part: self._given.get(f"letter:{outcome}.{part}") or text
                for part, text in letter.items()
            }
            for outcome, letter in (self.call.letter_templates or {}).items()
        }

    @property
    def agreement_template(self) -> str:
        return self._given.get("agreement") or self.call.agreement_template
