"""The five fixed texts of a proposal (target groups, activities, timeline, expected results,
measurement) become answers to questions of the call's form, whose core questions stand for the
typed columns: each call's form starts with the "INSPIRE standard proposal" sections

Revision ID: 5c7d262b7dbf
Revises: 5c8e0f2a9b61
Create Date: 2026-12-05 11:10:00

Each call's form becomes the standard sections followed by its own; each proposal's five texts
move into its answers under the standard questions' ids, and each submitted version's frozen
content the same way (its frozen form too), so old versions read as before. Downgrade puts the
columns back and takes the standard sections out again.
"""
import copy
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5c7d262b7dbf'
down_revision = '5c8e0f2a9b61'
branch_labels = None
depends_on = None

TEXTS = ("target_groups", "activities", "timeline", "expected_results", "measurement")

# The template as it stood when this migration was written (fund/forms_def/templates/), frozen
# here so that later changes to the template do not change what this migration does.
STANDARD_SECTIONS = [{'id': 's_5d000001',
  'title': 'Summary',
  'questions': [{'id': 'q_c0de0001',
                 'type': 'core',
                 'field': 'title',
                 'label': 'Title',
                 'help': '',
                 'required': True,
                 'condition': None},
                {'id': 'q_c0de0002',
                 'type': 'core',
                 'field': 'summary',
                 'label': 'Summary',
                 'help': 'What the project will do, with whom, and why.',
                 'required': True,
                 'condition': None},
                {'id': 'q_c0de0003',
                 'type': 'core',
                 'field': 'strategies',
                 'label': 'INSPIRE strategies addressed',
                 'help': 'Tick each INSPIRE strategy the project addresses. Only the '
                         'strategies this call covers are listed.',
                 'required': True,
                 'condition': None},
                {'id': 'q_c0de0004',
                 'type': 'core',
                 'field': 'countries',
                 'label': 'Countries of implementation',
                 'help': 'Hold Ctrl (or Cmd) to choose several.',
                 'required': True,
                 'condition': None}]},
 {'id': 's_5d000002',
  'title': 'Target groups',
  'questions': [{'id': 'q_5d000001',
                 'type': 'long_text',
                 'label': 'Target groups',
                 'help': 'Who the project will reach, and how many.',
                 'required': True,
                 'condition': None,
                 'limits': {'max': 1500, 'unit': 'characters'}}]},
 {'id': 's_5d000003',
  'title': 'Activities and timeline',
  'questions': [{'id': 'q_5d000002',
                 'type': 'long_text',
                 'label': 'Activities',
                 'help': '',
                 'required': True,
                 'condition': None,
                 'limits': {'max': 4000, 'unit': 'characters'}},
                {'id': 'q_5d000003',
                 'type': 'long_text',
                 'label': 'Timeline',
                 'help': 'When each activity will take place.',
                 'required': True,
                 'condition': None,
                 'limits': {'max': 2000, 'unit': 'characters'}}]},
 {'id': 's_5d000004',
  'title': 'Expected results and how they will be measured',
  'questions': [{'id': 'q_5d000004',
                 'type': 'long_text',
                 'label': 'Expected results',
                 'help': '',
                 'required': True,
                 'condition': None,
                 'limits': {'max': 2500, 'unit': 'characters'}},
                {'id': 'q_5d000005',
                 'type': 'long_text',
                 'label': 'How results will be measured',
                 'help': '',
                 'required': True,
                 'condition': None,
                 'limits': {'max': 2000, 'unit': 'characters'}}]},
 {'id': 's_5d000005',
  'title': 'Start date and duration',
  'questions': [{'id': 'q_c0de0005',
                 'type': 'core',
                 'field': 'start_date',
                 'label': 'Start date',
                 'help': '',
                 'required': True,
                 'condition': None},
                {'id': 'q_c0de0006',
                 'type': 'core',
                 'field': 'duration_months',
                 'label': 'Duration (months)',
                 'help': '',
                 'required': True,
                 'condition': None}]},
 {'id': 's_5d000006',
  'title': 'Budget',
  'questions': [{'id': 'q_c0de0007',
                 'type': 'core',
                 'field': 'budget',
                 'label': 'Budget',
                 'help': '',
                 'required': True,
                 'condition': None}]},
 {'id': 's_5d000007',
  'title': 'Child safeguarding',
  'questions': [{'id': 'q_c0de0008',
                 'type': 'core',
                 'field': 'safeguarding',
                 'label': 'Child-safeguarding policy for this proposal',
                 'help': '',
                 'required': True,
                 'condition': None}]},
 {'id': 's_5d000008',
  'title': 'Attachments',
  'questions': [{'id': 'q_c0de0009',
                 'type': 'core',
                 'field': 'attachments',
                 'label': 'Attachments',
                 'help': '',
                 'required': True,
                 'condition': None}]}]
STANDARD_TEXT_IDS = dict(zip(TEXTS, ("q_5d000001", "q_5d000002", "q_5d000003", "q_5d000004",
                                     "q_5d000005")))

calls = sa.table("calls", sa.column("id", sa.Integer), sa.column("proposal_form", sa.JSON))
proposals = sa.table(
    "proposals",
    sa.column("id", sa.Integer),
    sa.column("call_id", sa.Integer),
    sa.column("answers", sa.JSON),
    *(sa.column(name, sa.Text) for name in TEXTS),
)
versions = sa.table(
    "proposal_versions",
    sa.column("id", sa.Integer),
    sa.column("proposal_id", sa.Integer),
    sa.column("content", sa.JSON),
)


def _ids(definition):
    for section in definition.get("sections") or []:
        yield section["id"]
        for question in section.get("questions") or []:
            yield question["id"]
            yield from (c["id"] for c in question.get("choices") or [])


def _standard_for(definition):
    """(the standard sections with ids free in `definition`, {old text field: question id})."""
    taken = set(_ids(definition)) | set(definition.get("retired_ids") or [])
    sections = copy.deepcopy(STANDARD_SECTIONS)
    renamed = {}
    for item in [s for s in sections] + [q for s in sections for q in s["questions"]]:
        if item["id"] in taken:  # a call's own question already has this id: take a new one
            fresh = item["id"]
            while fresh in taken:
                fresh = f"{item['id'][0]}_{secrets.token_hex(4)}"
            renamed[item["id"]] = fresh
            item["id"] = fresh
        taken.add(item["id"])
    text_ids = {name: renamed.get(qid, qid) for name, qid in STANDARD_TEXT_IDS.items()}
    return sections, text_ids


def _with_standard(definition):
    definition = copy.deepcopy(definition or {})
    sections, text_ids = _standard_for(definition)
    return {
        "schema": 1,
        "sections": sections + list(definition.get("sections") or []),
        "retired_ids": list(definition.get("retired_ids") or []),
    }, text_ids


def _text_ids(definition):
    """{old text field: question id} of the standard long texts a form still asks."""
    asked = {
        q["id"]
        for s in definition.get("sections") or []
        for q in s.get("questions") or []
        if q.get("type") == "long_text"
    }
    return {name: qid for name, qid in STANDARD_TEXT_IDS.items() if qid in asked}


def _without_standard(definition, text_ids):
    """The form with the core questions and the five texts taken out, and the standard
    sections left empty by that (what the call had before the upgrade)."""
    definition = copy.deepcopy(definition or {})
    standard_sections = {s["id"] for s in STANDARD_SECTIONS}
    dropped = set(text_ids.values())
    kept = []
    for section in definition.get("sections") or []:
        questions = [
            q for q in section.get("questions") or []
            if q.get("type") != "core" and q["id"] not in dropped
        ]
        if section["id"] in standard_sections and not questions:
            continue
        kept.append({**section, "questions": questions})
    return {"schema": 1, "sections": kept, "retired_ids": list(definition.get("retired_ids") or [])}


def upgrade():
    bind = op.get_bind()
    text_ids_of_call = {}
    for call_id, form in bind.execute(sa.select(calls.c.id, calls.c.proposal_form)).all():
        new_form, text_ids = _with_standard(form)
        text_ids_of_call[call_id] = text_ids
        bind.execute(calls.update().where(calls.c.id == call_id).values(proposal_form=new_form))
    call_of = {}
    rows = bind.execute(
        sa.select(proposals.c.id, proposals.c.call_id, proposals.c.answers,
                  *(proposals.c[name] for name in TEXTS))
    ).all()
    for row in rows:
        call_of[row.id] = row.call_id
        text_ids = text_ids_of_call[row.call_id]
        answers = dict(row.answers or {})
        for name in TEXTS:
            if (getattr(row, name) or "").strip():
                answers[text_ids[name]] = getattr(row, name)
        bind.execute(proposals.update().where(proposals.c.id == row.id).values(answers=answers))
    for version_id, proposal_id, content in bind.execute(
        sa.select(versions.c.id, versions.c.proposal_id, versions.c.content)
    ).all():
        content = dict(content or {})
        form, text_ids = _with_standard(content.get("form"))
        answers = dict(content.get("answers") or {})
        for name in TEXTS:
            value = content.pop(name, "") or ""
            if value.strip():
                answers[text_ids[name]] = value
        content.update(form=form, answers=answers)
        bind.execute(versions.update().where(versions.c.id == version_id).values(content=content))
    with op.batch_alter_table("proposals", schema=None) as batch_op:
        for name in TEXTS:
            batch_op.drop_column(name)


def downgrade():
    with op.batch_alter_table("proposals", schema=None) as batch_op:
        for name in TEXTS:
            batch_op.add_column(sa.Column(name, sa.Text(), server_default="", nullable=False))
    bind = op.get_bind()
    text_ids_of_call = {}
    for call_id, form in bind.execute(sa.select(calls.c.id, calls.c.proposal_form)).all():
        text_ids = _text_ids(form or {})
        text_ids_of_call[call_id] = text_ids
        bind.execute(
            calls.update().where(calls.c.id == call_id)
            .values(proposal_form=_without_standard(form, text_ids))
        )
    for row in bind.execute(
        sa.select(proposals.c.id, proposals.c.call_id, proposals.c.answers)
    ).all():
        text_ids = text_ids_of_call.get(row.call_id, {})
        answers = dict(row.answers or {})
        values = {name: str(answers.pop(qid, "") or "") for name, qid in text_ids.items()}
        bind.execute(
            proposals.update().where(proposals.c.id == row.id).values(answers=answers, **values)
        )
    for version_id, content in bind.execute(sa.select(versions.c.id, versions.c.content)).all():
        content = dict(content or {})
        form = content.get("form") or {}
        text_ids = _text_ids(form)
        answers = dict(content.get("answers") or {})
        for name in TEXTS:
            content[name] = str(answers.pop(text_ids[name], "") or "") if name in text_ids else ""
        content.update(form=_without_standard(form, text_ids), answers=answers)
        bind.execute(versions.update().where(versions.c.id == version_id).values(content=content))
