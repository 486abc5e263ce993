"""The French texts of the demo's open call, given as the secretariat would on the call's
Translations page: every text, so the call page lists no incomplete translation."""

from __future__ import annotations

from flask_babel import force_locale

from fund.calls.rubric import DEFAULT_RUBRIC
from fund.calls.translations import save_translations
from fund.forms_def.localise import call_texts
from fund.models import Call, User

# The demo call's own texts (English, as fund/demo/calls.py writes them) and their French.
FRENCH = {
    "INSPIRE small grants 2027: awareness and engagement": (
        "Petites subventions INSPIRE 2027 : sensibilisation et mobilisation"
    ),
    "Children's participation": "Participation des enfants",
    "Will children take part in activities?": "Des enfants participeront-ils aux activités ?",
    "How will children and young people take part safely?": (
        "Comment les enfants et les jeunes participeront-ils en toute sécurité ?"
    ),
    "Consent, supervision, and who children can talk to if something goes wrong.": (
        "Consentement, encadrement, et à qui les enfants peuvent parler en cas de problème."
    ),
    "Reach and co-funding": "Portée et cofinancement",
    "Co-funding from other donors": "Cofinancement d'autres bailleurs",
    "Countries where materials will be shared": "Pays où les supports seront diffusés",
    "Strategies the co-funded part addresses": "Stratégies couvertes par la partie cofinancée",
}
DESCRIPTION = (
    "De petites subventions pour les organisations de la société civile des pays à revenu faible "
    "ou intermédiaire qui font connaître INSPIRE, les sept stratégies pour mettre fin à la "
    "violence à l'encontre des enfants, et qui mobilisent parents, enseignants, responsables "
    "religieux, jeunes et autorités locales pour les mettre en pratique.\n\nNous accueillons les "
    "propositions portées par des organisations locales, y compris celles qui déposent pour la "
    "première fois."
)


def add_french_texts(call: Call, admin: User) -> None:
    """Give every text of `call` in French: the rubric's from the app's own French catalogue
    (the call uses the suggested rubric), the rest from FRENCH."""
    known = {**FRENCH, call.description: DESCRIPTION, **_rubric_in_french()}
    texts = {text.key: known[text.main] for text in call_texts(call) if text.main in known}
    save_translations(call, "fr", texts, admin)


def _rubric_in_french() -> dict[str, str]:
    pairs = {}
    for criterion in DEFAULT_RUBRIC:
        for lazy in (criterion.name, criterion.guidance, *criterion.levels):
            with force_locale("en"):
                english = str(lazy)
            with force_locale("fr"):
                pairs[english] = str(lazy)
    return pairs
