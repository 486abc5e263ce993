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
    # the two-stage call (fund/demo/concepts.py)
    "INSPIRE community voices 2027 (two stages)": (
        "Voix des communautés INSPIRE 2027 (en deux étapes)"
    ),
    "Your idea": "Votre idée",
    "What problem will the project tackle?": "Quel problème le projet va-t-il traiter ?",
    "Co-funding from other donors": "Cofinancement d'autres bailleurs",
    "Countries where materials will be shared": "Pays où les supports seront diffusés",
    "Strategies the co-funded part addresses": "Stratégies couvertes par la partie cofinancée",
    "Supporting documents (optional)": "Pièces justificatives (facultatif)",
    "A work plan, letters of support from partners, or your latest annual report.": (
        "Un plan de travail, des lettres de soutien de partenaires ou votre dernier rapport annuel."
    ),
    "Work plan": "Plan de travail",
    "One row per activity: what, in which month of the project, at what cost.": (
        "Une ligne par activité : quoi, à quel mois du projet, pour quel coût."
    ),
    "Letter of support from a partner (PDF)": "Lettre de soutien d'un partenaire (PDF)",
    "Signed by a partner organisation: a school, a health service, a local authority.": (
        "Signée par une organisation partenaire : une école, un service de santé, une autorité "
        "locale."
    ),
    "Activity": "Activité",
    "Month": "Mois",
    "Cost": "Coût",
    # The report form: the INSPIRE indicators template and the demo's "Schools reached".
    "INSPIRE indicators: awareness-raising and engagement": (
        "Indicateurs INSPIRE : sensibilisation et mobilisation"
    ),
    "Events held": "Événements organisés",
    "Workshops, community meetings, dialogues, campaigns and other events held in this period. "
    "0 if none.": (
        "Ateliers, réunions communautaires, dialogues, campagnes et autres événements organisés "
        "pendant la période. 0 si aucun."
    ),
    "Materials produced": "Supports produits",
    "Distinct materials produced in this period: leaflets, posters, guides, radio spots, "
    "videos, social media series. Count each item once, not the copies. 0 if none.": (
        "Supports distincts produits pendant la période : dépliants, affiches, guides, spots "
        "radio, vidéos, séries pour les réseaux sociaux. Comptez chaque support une fois, pas "
        "les exemplaires. 0 si aucun."
    ),
    "Partners engaged": "Partenaires mobilisés",
    "Organisations you worked with in this period: government offices, schools, health "
    "services, faith and community groups, media, other civil-society organisations. "
    "0 if none.": (
        "Organisations avec lesquelles vous avez travaillé pendant la période : services de "
        "l'État, écoles, services de santé, groupes religieux et communautaires, médias, autres "
        "organisations de la société civile. 0 si aucune."
    ),
    "Media reach": "Audience des médias",
    "An estimate of the audience reached through radio, television, newspapers and social "
    "media in this period, as an aggregate number. 0 if no media work.": (
        "Une estimation de l'audience touchée par la radio, la télévision, la presse et les "
        "réseaux sociaux pendant la période, en un nombre global. 0 sans travail avec les "
        "médias."
    ),
    "Schools reached": "Écoles touchées",
    "Schools where activities took place in this period. 0 if none.": (
        "Écoles où des activités ont eu lieu pendant la période. 0 si aucune."
    ),
    "About these results": "À propos de ces résultats",
    "INSPIRE strategies worked on in this period": (
        "Stratégies INSPIRE travaillées pendant la période"
    ),
    "The strategies of the call that this period's activities served.": (
        "Les stratégies de l'appel que les activités de la période ont servies."
    ),
    "Events: what they were and who took part": (
        "Événements : ce qu'ils étaient et qui y a participé"
    ),
    "Kinds of events and the groups that attended (parents, teachers, children and young "
    "people, leaders). Numbers only: no names.": (
        "Types d'événements et groupes présents (parents, enseignants, enfants et jeunes, "
        "responsables). Des nombres seulement : aucun nom."
    ),
    "Materials: what they are and how they are used": (
        "Supports : ce qu'ils sont et comment ils sont utilisés"
    ),
    "Topics, languages and formats, and where the materials were shared.": (
        "Thèmes, langues et formats, et où les supports ont été diffusés."
    ),
    "Partners: who they are and what they did": "Partenaires : qui ils sont et ce qu'ils ont fait",
    "Name organisations only, never individual children or families.": (
        "Nommez seulement des organisations, jamais des enfants ou des familles."
    ),
    "Media: channels and how the reach was estimated": (
        "Médias : canaux et manière d'estimer l'audience"
    ),
    "Which channels, and where the audience figures come from (e.g. the station's listener "
    "figures, social media statistics).": (
        "Quels canaux, et d'où viennent les chiffres d'audience (p. ex. les chiffres d'écoute "
        "de la station, les statistiques des réseaux sociaux)."
    ),
}
TWO_STAGE_DESCRIPTION = (
    "Des subventions pour les organisations communautaires et religieuses qui changent les "
    "normes qui tolèrent la violence envers les enfants. Envoyez d'abord une note conceptuelle "
    "de deux pages ; les organisations retenues sont invitées à soumettre une proposition "
    "complète."
)
DESCRIPTION = (
    "De petites subventions pour les organisations de la société civile des pays à revenu faible "
    "ou intermédiaire qui font connaître INSPIRE, les sept stratégies pour mettre fin à la "
    "violence à l'encontre des enfants, et qui mobilisent parents, enseignants, responsables "
    "religieux, jeunes et autorités locales pour les mettre en pratique.\n\nNous accueillons les "
    "propositions portées par des organisations locales, y compris celles qui déposent pour la "
    "première fois."
)


# The open call's own declaration, which its applicants tick before submitting.
DECLARATION = (
    "On behalf of our organisation, we declare that the information in this proposal is true "
    "and complete, that our child-safeguarding policy is in force and known to everyone "
    "working on the project, and that we accept the terms of the INSPIRE small grants 2027 "
    "call, including the due-diligence checks the fund makes.\n"
    "We will tell the fund at once if any of this stops being true."
)
DECLARATION_FR = (
    "Au nom de notre organisation, nous déclarons que les informations de cette proposition "
    "sont exactes et complètes, que notre politique de protection de l'enfance est en vigueur "
    "et connue de toutes les personnes qui travaillent au projet, et que nous acceptons les "
    "conditions de l'appel « Petites subventions INSPIRE 2027 », y compris les vérifications "
    "que le fonds effectue.\n"
    "Nous préviendrons le fonds sans attendre si l'un de ces points cesse d'être vrai."
)


def add_french_texts(call: Call, admin: User, description: str = DESCRIPTION) -> None:
    """Give every text of `call` in French: the rubric's from the app's own French catalogue
    (the call uses the suggested rubric), its `description`, the rest from FRENCH."""
    known = {
        **FRENCH,
        call.description: description,
        DECLARATION: DECLARATION_FR,
        **_rubric_in_french(),
    }
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
