"""Plausible sample assessments, for trying the app, demonstrations and benchmarks.

The organisations, people and notes are fictional (North East and North Cumbria flavour, codes
of ODS shape beginning with Z so they are not real trusts). Same seed, same data: every choice,
id and timestamp comes from one seeded ``random.Random``, never from the wall clock. Answers are
generated from the template model, so any template in the library works. Each assessment is
written in one transaction (the assessor's app writes one per answer), so 1,000 take seconds;
ids already in the database are skipped, so a second run with the same seed adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from qa_tui.domain import AnswerState, JsonValue, QuestionType, Status
from qa_tui.services import demo_eqia
from qa_tui.services.rows import blockers as row_blockers
from qa_tui.store import ActionRecord, AnswerRecord, AssessmentRecord, EventRecord
from qa_tui.templates import (
    Question,
    Template,
    canonical_json,
    check_value,
    score,
    template_hash,
    visible_questions,
)

if TYPE_CHECKING:
    from qa_tui.services import Services

ORGANISATIONS = (
    ("Tyne Riverside Hospitals NHS Foundation Trust", "ZTR"),
    ("Wearside and Durham Coast NHS Foundation Trust", "ZWD"),
    ("Tees Lowlands Hospitals NHS Foundation Trust", "ZTL"),
    ("Cheviot and Coquet Healthcare NHS Trust", "ZCC"),
    ("Solway and Eden Integrated Care NHS Foundation Trust", "ZSE"),
    ("North Pennines Mental Health NHS Foundation Trust", "ZNP"),
    ("Hadrian Community Health NHS Trust", "ZHC"),
    ("Derwent Valley Primary Care Network", "ZU101"),
)
VISIT_SITES = ("Ward 12 (acute medicine)", "Emergency department", "Maternity unit",
               "Ward 3 (older people's care)", "Community nursing, west locality",
               "Outpatients", "Crisis team", "Urgent treatment centre")
BOARD_SITES = ("Trust board", "Quality and safety committee", "Executive team",
               "Integrated care board quality committee", "Practice partners")
ICBS = (
    ("North Fells and Dales Integrated Care Board", "ZQF"),
    ("Tyne and Tees Integrated Care Board", "ZQT"),
)
ICB_ONLY = frozenset({"ics-quality-functions", demo_eqia.TEMPLATE})
"""Templates only an integrated care board answers about itself: never given to a trust (the
system EQIA is the ICB's assessment of its own proposals)."""
PROVIDER_LEADS = ("Director of nursing", "Medical director", "Head of quality governance",
                  "Company secretary", "Chief operating officer", "Complaints manager",
                  "Freedom to Speak Up guardian")
"""Who fills in a provider's self-assessment: the provider's own people, by role."""
ASSESSORS = ("Aisha Khan", "Tom Robson", "Ruth Charlton", "Graeme Armstrong", "Priya Nair",
             "Jack Milburn", "Claire Dodds", "Liam Hetherington", "Sarah Bell",
             "Mohammed Rahman", "Helen Forster", "Dan Teasdale")
NOTES = (
    "Board minutes (March) show the strategy discussed with staff side; the FTSU guardian "
    "reports to the board quarterly.",
    "- 3 of 5 staff asked could describe the escalation process\n- Safety huddle observed "
    "at 08:30, attended by the nurse in charge and the physiotherapist",
    "Observed handover: SBAR used consistently. Two agency staff were unsure of the fire "
    "evacuation route.",
    "Friends and family test 94% positive over the last quarter; themes: waiting times, food.",
    "Audit of 20 records: 17 had a falls risk assessment completed within 24 hours.",
    "Evidence requested but not yet received: the training compliance report.",
    "@Matron to confirm the staffing figures for nights in February.",
    "+ve feedback from the carers' group about visiting times and being kept informed.",
    "Patients said call bells were answered quickly; one said nights were noisy.",
)
SHORTFALL_NOTES = (
    "Shortfall: mandatory training at 71% against a 90% target; no recovery plan seen.",
    "Shortfall: 4 of 10 medicine charts had missed doses without a reason recorded.",
    "Shortfall: risk register entries for staffing not reviewed since last year.",
    "Shortfall: complaints responses averaged 48 working days against a 25-day standard.",
)
TEXT_ANSWERS = (
    "The ward was calm and visibly clean; staff were welcoming.",
    "Good engagement from the team; the new matron has made visible changes.",
    "Environment tired in places (worn flooring in the day room) but safe.",
)
ACTIONS = (
    "Share the falls audit results with the ward team and repeat the audit in three months",
    "Agree a recovery plan for mandatory training with dates for each module",
    "Review the escalation policy with night staff",
    "Update the risk register entry for nurse staffing",
    "Arrange Freedom to Speak Up awareness sessions for bank staff",
    "Put up a 'You said, we did' board in the waiting area",
    "Fix the broken door closer on the sluice room",
)
OWNERS = ("Ward manager", "Matron", "Director of nursing", "Head of governance",
          "Practice manager", "Deputy chief executive", "")
FIRST_DAY = dt.date(2025, 1, 6)
DAYS = 420


@dataclass(frozen=True)
class DemoResult:
    seed: int
    created: tuple[str, ...]
    skipped: tuple[str, ...] = field(default=())

    def message(self) -> str:
        text = f"created {len(self.created)} demo assessments (seed {self.seed})"
        if self.skipped:
            text += (f"; {len(self.skipped)} with this seed were already here "
                     "(use another --seed for more)")
        return text


@dataclass
class _Draft:
    record: AssessmentRecord
    answers: list[AnswerRecord]
    actions: list[ActionRecord]


def create_demo(services: Services, *, count: int, seed: int,
                on_done: Callable[[], None] | None = None) -> DemoResult:
    """Create ``count`` sample assessments across every template in the library;
    ``on_done`` ticks after each one (a progress bar)."""
    tick = on_done or (lambda: None)
    rng = random.Random(seed)
    templates = sorted((e.template for e in services.library.all()), key=lambda t: t.id)
    if not templates:
        return DemoResult(seed, ())
    created: list[str] = []
    skipped: list[str] = []
    for _ in range(count):
        draft = _assessment(rng, rng.choice(templates), services.actor)
        rec = draft.record
        with services.store.write() as tx:
            if tx.get_assessment(rec.id) is not None:
                skipped.append(rec.id)
                tick()
                continue
            tx.insert_assessment(rec)
            tx.add_event(EventRecord(None, rec.id, rec.created_at, services.actor, "start", "",
                                     None, {"template": rec.template_id,
                                            "version": rec.template_version,
                                            "organisation": rec.org_name}))
            tx.insert_answers(draft.answers)
            tx.insert_actions(draft.actions)
            tx.add_event(EventRecord(None, rec.id, rec.updated_at, services.actor, "demo", "",
                                     None, {"seed": seed, "answers": len(draft.answers),
                                            "actions": len(draft.actions)}))
        created.append(rec.id)
        tick()
    return DemoResult(seed, tuple(created), tuple(skipped))


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _assessment(rng: random.Random, template: Template, actor: str) -> _Draft:
    aid = _uuid(rng)
    org, code = rng.choice(ICBS if template.id in ICB_ONLY else ORGANISATIONS)
    self_assessment = template.kind.value == "self-assessment"
    team = PROVIDER_LEADS if self_assessment and template.id not in ICB_ONLY else ASSESSORS
    eqia = template.id == demo_eqia.TEMPLATE
    sites: tuple[str, ...] = demo_eqia.SITES if eqia else (
        VISIT_SITES if template.kind.value == "visit" else BOARD_SITES)
    risks = demo_eqia.plan_risks(rng) if eqia else []
    visit = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))
    quality = rng.betavariate(4, 2)  # most organisations do fairly well; a few struggle
    complete = rng.random() < 0.6
    clock = dt.datetime.combine(visit, dt.time(9), dt.UTC) + dt.timedelta(
        minutes=rng.randrange(180))
    created = clock
    states: dict[str, AnswerState] = {}
    answers: list[AnswerRecord] = []
    share = 1.0 if complete else rng.uniform(0.15, 0.9)
    if share <= 0.5:  # the register is filled in once most impacts are known
        risks = []
    for q in template.questions[: max(1, round(share * len(template.questions)))]:
        if q.show_if is not None and q.id not in visible_questions(template, states):
            continue
        if q.compute is not None:  # computed from the others, never answered
            continue
        if not q.required and rng.random() < 0.15:
            continue
        state = _answer(rng, q, quality, visit)
        if eqia:
            tailored = demo_eqia.answer(rng, q, states, risks, visit, state)
            if tailored is None:
                continue
            state = tailored
        clock += dt.timedelta(minutes=rng.randint(1, 6), seconds=rng.randrange(60))
        states[q.id] = state
        answers.append(AnswerRecord(aid, q.id, state.value, state.na, state.note, clock, actor))
    row_answers = {address: AnswerState(value)
                   for address, value in demo_eqia.risk_answers(risks, visit)}
    for address, state in row_answers.items():
        clock += dt.timedelta(minutes=rng.randint(1, 3))
        answers.append(AnswerRecord(aid, address, state.value, False, "", clock, actor))
    row_counts = (("RISK", len(risks)),) if risks else ()
    actions = _actions(rng, aid, template, states, visit, clock)
    if eqia:  # an EQIA's actions are about equality monitoring, not ward audits
        actions = [replace(a, description=rng.choice(demo_eqia.ACTIONS),
                           owner=rng.choice(demo_eqia.ROLES)) for a in actions]
    if actions:
        clock = max(a.updated_at for a in actions)
    report = score(template, states)
    if complete and (report.required_open or report.notes_owed or report.escalations_unrecorded
                     or row_blockers(template, dict(row_counts), {**states, **row_answers})):
        complete = False
    completed_at = clock + dt.timedelta(minutes=rng.randint(2, 30)) if complete else None
    record = AssessmentRecord(
        id=aid, template_id=template.id, template_version=template.version,
        template_hash=template_hash(dict(template.data)),
        template_snapshot=canonical_json(dict(template.data)), org_name=org, org_code=code,
        site=rng.choice(sites), kind=template.kind.value,
        assessors=tuple(sorted(rng.sample(team, rng.randint(1, 2)))), visit_date=visit,
        status=(Status.COMPLETE if complete else Status.DRAFT).value, created_at=created,
        updated_at=completed_at or clock, completed_at=completed_at,
        revision=1 + len(answers) + len(risks) + len(actions) + (1 if complete else 0),
        synced_revision=None, origin="local", deleted_at=None,
        row_counts=row_counts)
    return _Draft(record, answers, actions)


def _answer(rng: random.Random, q: Question, quality: float, visit: dt.date) -> AnswerState:
    if q.allow_na and rng.random() < 0.04:
        return AnswerState(None, True, "Not applicable to this service." if rng.random() < 0.5
                           else "")
    value = _value(rng, q, quality, visit)
    value = check_value(q, value)
    owed = q.scale is not None and any(
        value == v and type(value) is type(v) for v in q.scale.note_required_for)
    note = ""
    if owed:
        note = rng.choice(SHORTFALL_NOTES)
    elif rng.random() < 0.35:
        note = rng.choice(NOTES)
    return AnswerState(value, False, note)


def _value(rng: random.Random, q: Question, quality: float, visit: dt.date) -> JsonValue:
    if q.type is QuestionType.MULTI and q.scale is not None:
        options = list(q.scale.options)
        picked = rng.sample(options, rng.randint(1, min(3, len(options))))
        alone = next((o for o in picked if o.exclusive), None)
        return [alone.value] if alone is not None else [o.value for o in picked]
    if q.scale is not None:
        options = list(q.scale.options)
        if q.scale.numeric:
            ordered = sorted(options, key=lambda o: float(o.value))
            target = quality * (len(ordered) - 1) + rng.gauss(0, 0.7)
            return ordered[min(len(ordered) - 1, max(0, round(target)))].value
        if q.type is QuestionType.YES_NO:
            return options[0].value if rng.random() < 0.55 + 0.4 * quality else options[-1].value
        return rng.choice(options).value
    if q.type is QuestionType.NUMBER:
        low = int(q.minimum) if q.minimum is not None else 0
        high = int(q.maximum) if q.maximum is not None else max(low, 0) + 100
        return rng.randint(low, max(low, high))
    if q.type is QuestionType.DATE:
        return (visit - dt.timedelta(days=rng.randrange(90))).isoformat()
    return rng.choice(TEXT_ANSWERS)


def _actions(rng: random.Random, aid: str, template: Template, states: dict[str, AnswerState],
             visit: dt.date, clock: dt.datetime) -> list[ActionRecord]:
    weak = [qid for qid, s in states.items() if _is_weak(template.question(qid), s)]
    out: list[ActionRecord] = []
    for _ in range(min(len(weak), rng.randint(0, 3)) or (1 if rng.random() < 0.2 else 0)):
        clock += dt.timedelta(minutes=rng.randint(1, 5))
        closed = rng.random() < 0.25
        out.append(ActionRecord(
            id=_uuid(rng), assessment_id=aid,
            question_id=rng.choice(weak) if weak else None,
            description=rng.choice(ACTIONS), owner=rng.choice(OWNERS),
            due_date=visit + dt.timedelta(days=rng.randint(14, 120)) if rng.random() < 0.85
            else None,
            priority=rng.choices(("low", "medium", "high"), (2, 5, 3))[0],
            status="closed" if closed else "open", created_at=clock, updated_at=clock,
            closed_at=clock if closed else None))
    return out


def _is_weak(q: Question | None, state: AnswerState) -> bool:
    if q is None or q.scale is None or not q.scale.numeric or state.value is None:
        return False
    if isinstance(state.value, list):
        return False
    return float(state.value) <= q.scale.min_value + (q.scale.max_value - q.scale.min_value) / 2
