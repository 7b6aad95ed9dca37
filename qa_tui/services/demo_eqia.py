"""Plausible demo content for ``system-eqia``: proposals, impacts that fit, and a risk register.

The generic demo answers any template from its model, which for an equality and quality impact
assessment reads wrongly (ward-visit text, "Shortfall: mandatory training" as the evidence for a
negative impact, a decision that ignores the risks). This module gives the EQIA its own words
and keeps its answers consistent: a Negative impact is mostly mitigated by a risk in the
register, EQ7.2 says Yes exactly when a risk scores 15 or more, and the decision follows from
the impacts and risks. Same seed, same data: every choice comes from the caller's ``rng``.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping
from dataclasses import dataclass

from qa_tui.domain import AnswerState, JsonValue
from qa_tui.templates import Question, row_address

TEMPLATE = "system-eqia"

SITES = ("Urgent care: single point of access", "Community diabetes pathway redesign",
         "Musculoskeletal services procurement", "Stroke rehabilitation beds consolidation",
         "Outpatient follow-up savings plan", "Digital first primary care access",
         "Mental health crisis line recommissioning")
"""What an EQIA is about, shown where a visit shows its site."""

ACTIONS = ("Collect use of the service by ethnicity and deprivation for the first six months",
           "Agree BSL video interpreting with the provider before go-live",
           "Meet the Gypsy and Traveller liaison group about registration at the hubs",
           "Report the equality monitoring to the quality committee after three months")
ROLES = ("Head of Commissioning, Urgent and Emergency Care", "Director of Strategy",
         "Head of Primary Care Transformation", "Programme Manager, Planned Care",
         "Deputy Director of Nursing", "Head of Mental Health Commissioning")
REVIEWERS = ("Head of Quality, ICB", "Equality, Diversity and Inclusion Lead",
             "Deputy Chief Nurse (Quality)")
TEXT: Mapping[str, tuple[str, ...]] = {
    "EQ1.1": ("One telephone and online point of access for urgent care, replacing three local "
              "lines, to cut waits and send people to the right service first time.",
              "Moving community diabetes clinics into four hubs with longer opening hours and "
              "specialist nurses on site.",
              "Reducing routine outpatient follow-ups by moving stable patients to "
              "patient-initiated follow-up, releasing clinic time for new referrals."),
    "EQ1.6": ("Activity by age, ethnicity and deprivation quintile for the last two years; the "
              "JSNA; Healthwatch report on access; national evidence on digital exclusion. No "
              "local data by sexual orientation or gender identity.",
              "Service data by IMD quintile and ethnicity, DNA rates by postcode, patient "
              "survey (312 replies), staff survey of the three teams affected."),
    "EQ3.10": ("Rural and coastal communities with poor public transport; armed forces veterans "
               "(no differential impact found).",),
    "EQ4.5": ("No safeguarding impact found; continuity of care improves for people with "
              "several long-term conditions.",),
    "EQ6.2": ("Patient participation groups in two places, the carers' centre, a Gypsy and "
              "Traveller liaison group, the deaf community centre, staff of the teams affected.",),
    "EQ6.3": ("People welcomed one number to call but worried about long waits and about "
              "people without a phone or internet; deaf people asked for text and video relay.",),
    "EQ6.4": ("Added a call-back option, text relay and BSL video interpreting, and kept a "
              "walk-in route at two sites for people who cannot phone.",),
    "EQ6.5": ("Engagement with patient groups is planned for next month, before the decision.",),
    "EQ7.3": ("The proposal improves access for most people; the negative impacts found are "
              "mitigated by the actions in the register, which the programme board owns and "
              "reviews monthly. Due regard given to the equality duty and to reducing "
              "inequalities in access and outcomes.",),
    "EQ7.4": ("Extreme risk reported to the Head of Quality and the executive lead the same "
              "day; agreed to pause go-live until the mitigation is in place.",),
}
EVIDENCE = {
    1: ("Fewer face-to-face routes disadvantage people who cannot use a phone or the internet.",
        "Hub sites are not on direct bus routes from the most deprived wards.",
        "No interpreting on the out-of-hours line: people who speak little English wait longer."),
    2: ("No local data on use of the service by this group: to be collected in the pilot.",
        "Evidence gap: national studies only; ask the community group at the next meeting."),
}
NEUTRAL = ("No differential impact found in the service data.",
           "Discussed with the community group: no concerns raised.")
RISKS = (
    ("People without a phone or internet cannot reach the new single point of access",
     "Keep walk-in access at two sites; monitor contacts by deprivation quintile monthly",
     "Head of Urgent Care Commissioning"),
    ("No interpreting on the night line delays care for people who speak little English",
     "Extend the telephone interpreting contract to 24 hours before go-live",
     "Contracts Manager, Urgent Care"),
    ("Travel to hub clinics raises missed appointments for people in the most deprived areas",
     "Travel support scheme and evening clinics; DNA rates by IMD quintile reviewed quarterly",
     "Programme Manager, Planned Care"),
    ("Staff redeployed to the hubs lose specialist skills in the community team",
     "Rotation and supervision plan agreed with staff side; turnover tracked",
     "Deputy Director of Nursing"),
)


@dataclass(frozen=True)
class Risk:
    description: str
    likelihood: int
    consequence: int
    mitigation: str
    owner: str

    @property
    def score(self) -> int:
        return self.likelihood * self.consequence


def plan_risks(rng: random.Random) -> list[Risk]:
    """One to three risks, mostly Moderate or High; now and then an Extreme one."""
    chosen = rng.sample(RISKS, rng.randint(1, 3))
    return [Risk(desc, rng.choice((2, 2, 3, 3, 4)), rng.choice((2, 3, 3, 4, 5)), mitigation,
                 owner) for desc, mitigation, owner in chosen]


def answer(rng: random.Random, q: Question, states: Mapping[str, AnswerState],
           risks: list[Risk], visit: dt.date, generic: AnswerState) -> AnswerState | None:
    """The EQIA's own answer to ``q`` where it has one; ``generic`` (the demo's usual answer)
    otherwise. None: leave ``q`` unanswered (the escalation record when nothing escalated)."""
    qid = q.id
    if qid == "EQ7.4":
        escalated = any(r.score >= 15 for r in risks) or any(
            s.value == "not-mitigated" for s in states.values())
        return AnswerState(TEXT[qid][0]) if escalated else None
    if qid in TEXT:
        return AnswerState(rng.choice(TEXT[qid]))
    if qid in ("EQ1.4", "EQ8.2"):
        return AnswerState(rng.choice(ROLES))
    if qid in ("EQ1.5", "EQ8.3"):
        return AnswerState(visit.isoformat())
    if qid == "EQ8.1":
        return AnswerState((visit + dt.timedelta(days=182)).isoformat())
    if qid == "EQ8.5":
        return AnswerState(rng.choice(REVIEWERS))
    if qid.endswith("M") and q.scale is not None:  # a Negative's follow-up
        value: JsonValue = rng.choices(("mitigated", "justified", "not-mitigated"), (8, 2, 1))[0]
        note = {"mitigated": "Risk register row 1.",
                "justified": "Clinically necessary to centralise; travel support offered.",
                "not-mitigated": "Reported to the Head of Quality the same day; "
                                 "proposal paused."}[str(value)]
        return AnswerState(value, False, note)
    if qid == "EQ7.2":
        extreme = any(r.score >= 15 for r in risks)
        return AnswerState("yes" if extreme else "no", False,
                           "Reported to the Head of Quality the same day." if extreme else "")
    if qid == "EQ7.1":
        negative = any(s.value == 1 for s in states.values())
        return AnswerState("proceed-mitigated" if risks or negative else "proceed")
    if qid == "EQ8.4":
        return AnswerState(rng.choices(("agreed", "agreed-comments", "returned"), (6, 3, 1))[0])
    if q.scale is not None and q.scale.id == "impact":
        value = rng.choices((4, 3, 2, 1), (2, 8, 2, 1))[0]
        pool = EVIDENCE.get(value) or (NEUTRAL if rng.random() < 0.3 else ("",))
        return AnswerState(value, False, rng.choice(pool))
    return generic


def risk_answers(risks: list[Risk], visit: dt.date) -> list[tuple[str, JsonValue]]:
    """Every field of every risk row, as (address, value); reviewed three months on."""
    review = (visit + dt.timedelta(days=91)).isoformat()
    out: list[tuple[str, JsonValue]] = []
    for n, r in enumerate(risks, start=1):
        out += [(row_address("RISK", n, "DESC"), r.description),
                (row_address("RISK", n, "LIKELIHOOD"), r.likelihood),
                (row_address("RISK", n, "CONSEQUENCE"), r.consequence),
                (row_address("RISK", n, "MITIGATION"), r.mitigation),
                (row_address("RISK", n, "OWNER"), r.owner),
                (row_address("RISK", n, "REVIEW"), review)]
    return out
