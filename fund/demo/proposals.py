"""Demo proposals: drafts and submitted ones from the two demo organisations."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from fund import clock

# --- proposals (called by seed() once the calls exist) ----------------------------------------

DEMO_POLICY_PDF = b"%PDF-1.4\n% INSPIRE Fund demo: child-safeguarding policy\n%%EOF\n"
DEMO_LETTER_PDF = b"%PDF-1.4\n% INSPIRE Fund demo: a partner's letter of support\n%%EOF\n"

DEMO_PROPOSALS = {
    "Safe schools, safe homes in Gulu": {
        "summary": "Teachers and parents in twelve primary schools learn positive discipline, "
        "and children learn where to turn for help.",
        "target_groups": "Parents and caregivers of children aged 6-12; teachers; school "
        "management committees.",
        "activities": "Training of 48 teachers in positive discipline.\nTwelve parenting "
        "sessions per school.\nChildren's clubs on safety and reporting.",
        "timeline": "Months 1-3: training.\nMonths 4-10: sessions and clubs.\nMonths 11-12: "
        "evaluation.",
        "expected_results": "Fewer reports of corporal punishment; parents use non-violent "
        "discipline.",
        "measurement": "School climate survey and parenting questionnaire at baseline and end "
        "line; referral records.",
    },
    "Ensemble contre la violence à l'école": {
        "summary": "Des comités communautaires et les écoles de Thiès préviennent la violence "
        "envers les enfants et orientent les victimes vers les services.",
        "target_groups": "Élèves de 8 à 15 ans, parents, enseignants et leaders religieux.",
        "activities": "Formation de comités de protection.\nCauseries avec les parents.\n"
        "Cartographie des services de prise en charge.",
        "timeline": "Mois 1-2 : formation. Mois 3-9 : causeries. Mois 10-12 : bilan.",
        "expected_results": "Les comités repèrent et orientent les cas ; les parents "
        "connaissent les services.",
        "measurement": "Registre des orientations ; enquête auprès des parents au début et à "
        "la fin.",
    },
}


def write_texts(proposal, texts: dict[str, str]) -> None:
    """The summary, and the standard form's five long texts as answers to its questions."""
    from fund.forms_def.standard import STANDARD_TEXT_IDS

    proposal.summary = texts["summary"]
    proposal.answers = {
        **(proposal.answers or {}),
        **{STANDARD_TEXT_IDS[name]: texts[name] for name in STANDARD_TEXT_IDS},
    }


def seed_proposals(users: dict, organisations, open_call, closed_call) -> list:
    """Drafts and submitted proposals from two organisations, in the current transaction.

    `organisations` are the two demo organisations (each with one member). Submitted ones go
    through submit_proposal at a moment inside their call's window, so they have references,
    frozen versions and receipts like real ones. Returns the proposals.
    """
    from io import BytesIO

    from werkzeug.datastructures import FileStorage

    from fund import storage
    from fund.extensions import db
    from fund.models import BudgetLine
    from fund.proposals.declaration import declaration_text
    from fund.proposals.drafts import start_proposal
    from fund.proposals.submission import submit_proposal

    def inside(call):
        now = clock.now()
        if call.is_open(now):
            return now
        return max(call.opens_at, call.closes_at - timedelta(days=2))

    def policy(organisation, member):
        upload = FileStorage(BytesIO(DEMO_POLICY_PDF), "safeguarding-policy.pdf")
        return storage.store(upload, organisation_id=organisation.id, uploaded_by_id=member.id)

    def letter(proposal, call, member):
        """The open call's file question answered, as the form would store it."""
        from fund.forms_def.definition import file_questions

        for question in file_questions(call.proposal_form):
            upload = FileStorage(BytesIO(DEMO_LETTER_PDF), "letter-of-support.pdf")
            stored = storage.store(
                upload, organisation_id=proposal.organisation_id, uploaded_by_id=member.id
            )
            answer = {"file_id": stored.id, "name": stored.original_name, "size": stored.size}
            proposal.answers = {**(proposal.answers or {}), question["id"]: answer}

    def fill(proposal, texts, call, organisation):
        write_texts(proposal, texts)
        proposal.strategies = list(call.strategies or [])[:2]
        proposal.countries = [organisation.country_code]
        proposal.start_date = (call.closes_at + timedelta(days=90)).date()
        proposal.duration_months = min(12, call.max_duration_months)
        amount = min(max(Decimal("24000"), call.min_award), call.max_award)
        lines = [
            ("personnel", "Facilitators and coordinator", amount * Decimal("0.5")),
            ("activities", "Sessions, materials and transport", amount * Decimal("0.4")),
            ("monitoring", "Baseline and end-line surveys", amount * Decimal("0.1")),
        ]
        proposal.budget_lines = [
            BudgetLine(
                position=i,
                category=category,
                description=text,
                amount=value.quantize(Decimal("0.01")),
            )
            for i, (category, text, value) in enumerate(lines, start=1)
        ]
        proposal.amount_requested = sum(line.amount for line in proposal.budget_lines)

    organisations = list(
        organisations.values() if isinstance(organisations, dict) else organisations
    )
    proposals = []
    for index, organisation in enumerate(organisations[:2]):
        member = organisation.memberships[0].user
        title, texts = list(DEMO_PROPOSALS.items())[index]
        if index == 0:  # on file for the organisation
            organisation.safeguarding_policy_file_id = policy(organisation, member).id
        plans = [(open_call, title, True), (open_call, _draft_title(title), False)]
        if index == 0:
            plans.append((closed_call, title + " (pilot)", True))
        for call, proposal_title, submit in plans:
            now = inside(call)
            proposal = start_proposal(call, organisation, proposal_title, member, now=now)
            if index == 1 and "fr" in call.languages:  # the Senegalese organisation writes French
                proposal.language = "fr"
            if submit:
                fill(proposal, texts, call, organisation)
                if index == 1:  # uploaded with the proposal
                    proposal.safeguarding_file_id = policy(organisation, member).id
                if index == 0 and call is open_call:  # the crawl walks a file answer
                    letter(proposal, call, member)
                db.session.flush()
                declaration = declaration_text(call, proposal.language)
                submit_proposal(proposal, member, now, declaration=declaration)
            else:
                proposal.summary = texts["summary"]
                proposal.strategies = list(call.strategies or [])[:1]
            proposals.append(proposal)
    db.session.flush()
    return proposals


def _draft_title(title: str) -> str:
    return title + " — phase 2"
