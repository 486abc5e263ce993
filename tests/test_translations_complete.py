"""Every language is complete, and the catalogues hold every string the code marks."""

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "fund" / "translations"
LANGUAGES = ("fr", "es", "pt")
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "_l": None,
    "lazy_gettext": None,
    "lazy_pgettext": ((1, "c"), 2),
    "_lp": ((1, "c"), 2),
}
METHODS = [
    ("**/__pycache__/**", "ignore"),
    ("**.py", "python"),
    ("**/templates/**.html", "jinja2"),
    ("**/templates/**.txt", "jinja2"),
]


def catalogue(language: str):
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle)


def marked_strings() -> set[tuple[str | None, str]]:
    """The (context, msgid) pairs the code marks for translation, as `pybabel extract` finds
    them: "accepted" said of an invitation is another entry than plain "accepted"."""
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        ROOT / "fund",
        METHODS,
        keywords=KEYWORDS,
        strip_comment_tags=True,
        # Unlike babel's default, look inside folders starting with "_" (templates/_macros).
        directory_filter=lambda path: (
            not Path(path).name.startswith(".") and Path(path).name != "__pycache__"
        ),
    ):
        found.add((_context, message[0] if isinstance(message, tuple) else message))
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated(language):
    untranslated = [
        m.id
        for m in catalogue(language)
        if m.id and (not m.string or (isinstance(m.string, tuple) and not all(m.string)) or m.fuzzy)
    ]
    assert untranslated == []


def test_catalogues_hold_every_marked_string():
    """A string marked in the code but missing here would show in English to everyone.

    Fix with the extract and update commands in the README's Contributing section.
    """
    known = {
        (m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in catalogue("fr") if m.id
    }
    assert sorted(marked_strings() - known) == []
