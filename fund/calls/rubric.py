"""The rubric a new call starts with: six criteria, each with its description, its weight and
what each score from 1 (poor) to 5 (excellent) means on it, so that reviewers score alike.

Kept apart from fund/calls/rules.py (the call's checks) because it is mostly text.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from fund.i18n import lazy_gettext as _l

SCORES = (1, 2, 3, 4, 5)
LEVEL_MAX = 300  # characters in the meaning of one score level


class DefaultCriterion(NamedTuple):
    """One criterion of the suggested rubric; `levels` are the meanings of scores 1 to 5."""

    name: Any
    guidance: Any
    weight: int
    levels: tuple[Any, Any, Any, Any, Any]


DEFAULT_RUBRIC = (
    DefaultCriterion(
        _l("INSPIRE fit"),
        _l(
            "How clearly the project applies one or more INSPIRE strategies to a real need of "
            "children where it works."
        ),
        25,
        (
            _l("Poor: no link to any INSPIRE strategy, or no need of children shown."),
            _l("Weak: a strategy is named, but the activities do not apply it."),
            _l("Fair: applies a strategy to a need that is asserted rather than shown."),
            _l("Good: applies a strategy clearly to a need shown with local evidence."),
            _l(
                "Excellent: a convincing, evidence-based use of INSPIRE for a well-documented "
                "local need."
            ),
        ),
    ),
    DefaultCriterion(
        _l("Design and feasibility"),
        _l(
            "Whether activities, timeline and expected results hang together and can be achieved "
            "with the time and money asked for."
        ),
        25,
        (
            _l("Poor: activities, timeline and results do not fit together."),
            _l("Weak: major gaps; the results could not be reached as planned."),
            _l("Fair: a workable plan with gaps in the timeline or the measures."),
            _l("Good: a coherent, realistic plan with measurable results."),
            _l(
                "Excellent: every activity leads to a result, on a realistic timeline, with "
                "clear measures and risks handled."
            ),
        ),
    ),
    DefaultCriterion(
        _l("Organisational capacity and local leadership"),
        _l(
            "Whether the organisation has the experience, people and community roots to deliver, "
            "and is led from where it works."
        ),
        15,
        (
            _l("Poor: no relevant experience or people to deliver; led from elsewhere."),
            _l("Weak: little experience; depends on outside people to deliver."),
            _l("Fair: some relevant experience and staff; community ties are thin."),
            _l("Good: a track record with children and strong community roots."),
            _l(
                "Excellent: proven delivery, a skilled team and leadership from the communities "
                "served."
            ),
        ),
    ),
    DefaultCriterion(
        _l("Reach and sustainability"),
        _l("Who and how many are reached, and what lasts after the grant ends."),
        15,
        (
            _l("Poor: who is reached is unclear and nothing lasts after the grant."),
            _l("Weak: small or vague reach; little thought about what lasts."),
            _l("Fair: a clear group reached; some plans to continue."),
            _l("Good: meaningful reach, including children most at risk, with a credible plan."),
            _l(
                "Excellent: wide, well-targeted reach and lasting change through partners, "
                "policy or local funding."
            ),
        ),
    ),
    DefaultCriterion(
        _l("Budget and value for money"),
        _l("Whether the costs are realistic, explained and in proportion to the results."),
        10,
        (
            _l("Poor: costs unexplained or out of proportion to the results."),
            _l("Weak: several costs unrealistic or not explained."),
            _l("Fair: mostly realistic costs, with some lines not explained."),
            _l("Good: realistic, explained costs in proportion to the results."),
            _l("Excellent: lean, well-explained costs that make the most of every unit spent."),
        ),
    ),
    DefaultCriterion(
        _l("Safeguarding and ethics"),
        _l(
            "Whether children are kept safe throughout: a working safeguarding policy, informed "
            "consent, and care with any information about children."
        ),
        10,
        (
            _l("Poor: no safeguarding policy, or children put at risk."),
            _l("Weak: a policy exists but is not applied to these activities."),
            _l("Fair: a policy applied, with gaps in consent or in handling information."),
            _l("Good: safeguarding, consent and data care built into the activities."),
            _l(
                "Excellent: thorough safeguarding with trained staff, reporting routes and "
                "children's own voice."
            ),
        ),
    ),
)


def default_criteria() -> list[dict[str, Any]]:
    """The suggested rubric as call values, in the current language."""
    return [
        {
            "name": str(c.name),
            "guidance": str(c.guidance),
            "weight": c.weight,
            "levels": [str(level) for level in c.levels],
        }
        for c in DEFAULT_RUBRIC
    ]


def criterion_levels(criterion: dict[str, Any]) -> list[str]:
    """A criterion's meanings as stored: five texts, or none when every one is blank."""
    levels = [(level or "").strip() for level in criterion.get("levels") or []]
    return levels if any(levels) else []
