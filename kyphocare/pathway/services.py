"""Writes of the clinician pathway. One transaction and one audit event each.

Every recommendation, grade, code and date comes from kyphocare.clinical; this module only turns
stored rows into the core's inputs and keeps what the core returned.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from kyphocare import clinical as c
from kyphocare.accounts.access import Actor, Perm, require_patient_access, require_perm
from kyphocare.audit.models import AuditAction
from kyphocare.audit.services import audit_record
from kyphocare.clinical.decision import DecisionChoice, decision_differs, reassessment_window
from kyphocare.patients.models import Patient
from kyphocare.patients.services import ServiceError

from .models import (
    Assessment,
    AssessmentFracture,
    ChecklistItem,
    ChecklistTemplateItem,
    Decision,
    PlanAdjustment,
    Procedure,
    ProcedureLevel,
    RecoveryPlan,
)
from .snapshot import to_data

DEFAULT_CHECKLIST = [
    ("Bring your recent spine images (MRI, CT or X-ray) or their reports", True),
    ("Bring a list of every medicine you take, with doses", True),
    ("Fasting: follow the clinic's instructions on when to stop eating and drinking", True),
    ("Blood thinners: agree a plan with the team (stop, bridge or continue)", False),
    ("Arrange a ride home and an adult to stay with you for the first night", True),
    ("Tell the team about any allergies, especially to contrast dye or cement", True),
    ("Pregnancy test where relevant", False),
    ("Consent discussed and signed", False),
]


def _require(actor: Actor, perm: Perm, patient: Patient | None = None) -> None:
    require_perm(actor, perm)
    if patient is not None:
        require_patient_access(actor, patient)


# --- assessment -----------------------------------------------------------------------------


def _opt(kind, value):
    return kind(value) if value not in (None, "") else None


def fracture_input(fx: AssessmentFracture) -> c.FractureInput:
    imaging = None
    if fx.imaging_modality:
        imaging = c.ImagingResult(
            modality=c.ImagingModality(fx.imaging_modality),
            acute=fx.imaging_acute,
            date=fx.imaging_date,
        )
    morphometry = None
    if fx.ha is not None and fx.hm is not None and fx.hp is not None:
        morphometry = c.Morphometry(
            ha=fx.ha, hm=fx.hm, hp=fx.hp, hp_above=fx.hp_above, hp_below=fx.hp_below
        )
    return c.FractureInput(
        level=c.parse_level(fx.level),
        onset=fx.onset,
        imaging=imaging,
        morphometry=morphometry,
        height_loss_pct=None if morphometry else fx.height_loss_pct,
        kyphotic_deformity=fx.kyphotic_deformity,
        progression=fx.progression,
        pain_correlates=fx.pain_correlates,
    )


def assessment_input(
    assessment: Assessment, fractures: list[AssessmentFracture], patient: Patient
) -> c.AssessmentInput:
    """The clinical core's input for an assessment and its fractures."""
    return c.AssessmentInput(
        as_of=assessment.assessed_on,
        fractures=tuple(fracture_input(fx) for fx in fractures),
        age=patient.age_on(assessment.assessed_on),
        signs=frozenset(c.Sign(s) for s in assessment.signs),
        pain_nrs=assessment.pain_nrs,
        hospitalized_for_pain=assessment.hospitalized_for_pain,
        nsm_tried=assessment.nsm_tried,
        symptom_course=_opt(c.SymptomCourse, assessment.symptom_course),
        rmdq=assessment.rmdq,
        cancer=_opt(c.CancerStatus, assessment.cancer),
        trauma=_opt(c.Trauma, assessment.trauma),
        contraindications=frozenset(c.Contraindication(x) for x in assessment.contraindications),
    )


def assessment_create(
    *, actor: Actor, patient: Patient, data: dict, fractures: list[dict]
) -> Assessment:
    """Record a new assessment version with the core's result as shown."""
    _require(actor, Perm.DOCUMENT_CLINICAL, patient)
    if not fractures:
        raise ServiceError(None, "Record at least one fracture (its level at the least).")
    with transaction.atomic():
        Patient.objects.select_for_update().get(pk=patient.pk, clinic=actor.clinic)
        last = Assessment.objects.filter(clinic=actor.clinic, patient=patient).aggregate(
            Max("version")
        )["version__max"]
        assessment = Assessment(
            clinic=actor.clinic,
            patient=patient,
            created_by=actor.user,
            version=(last or 0) + 1,
            **data,
        )
        rows = [
            AssessmentFracture(clinic=actor.clinic, position=i, **fx)
            for i, fx in enumerate(fractures)
        ]
        try:
            result = c.assess(assessment_input(assessment, rows, patient))
        except c.ClinicalInputError as error:
            raise ServiceError(None, str(error)) from None
        assessment.result = to_data(result)
        assessment.rules_version = result.rules_version
        assessment.save()
        for row in rows:
            row.assessment = assessment
        AssessmentFracture.objects.bulk_create(rows)
        # A reassessment answers any reassessment that was due.
        Decision.objects.filter(
            clinic=actor.clinic, patient=patient, reassessment_done=False
        ).exclude(reassessment_due=None).update(reassessment_done=True)
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=assessment,
            patient_id=patient.pk,
            detail={"version": assessment.version, "fractures": len(rows)},
        )
    return assessment


# --- decision -------------------------------------------------------------------------------


def decision_record(
    *,
    actor: Actor,
    patient: Patient,
    assessment: Assessment,
    choice: str,
    decided_on: datetime.date,
    reason: str = "",
    reassessment_due: datetime.date | None = None,
    scheduled_for: datetime.date | None = None,
) -> Decision:
    """Record the clinician's decision beside the tool's recommendation."""
    _require(actor, Perm.DOCUMENT_CLINICAL, patient)
    if assessment.patient_id != patient.pk or assessment.clinic_id != actor.clinic.pk:
        raise ServiceError(None, "That assessment is not this patient's.")
    recommendation = c.Recommendation(assessment.result["recommendation"])
    choice = DecisionChoice(choice)
    differs = decision_differs(recommendation, choice)
    if differs and not reason.strip():
        raise ServiceError(
            "reason",
            "Your decision differs from the tool's recommendation "
            f"({recommendation.value.replace('_', ' ')}): please give the reason.",
        )
    if choice == DecisionChoice.NON_SURGICAL:
        due = reassessment_window(decided_on)
        if reassessment_due is None:
            raise ServiceError(
                "reassessment_due",
                "Non-surgical management needs a reassessment date 2 to 4 weeks from the decision.",
            )
        if not due.start <= reassessment_due <= due.end:
            raise ServiceError(
                "reassessment_due",
                f"Choose a date 2 to 4 weeks out: between {due.start:%Y-%m-%d} and "
                f"{due.end:%Y-%m-%d}.",
            )
    else:
        reassessment_due = None
    if choice != DecisionChoice.KYPHOPLASTY:
        scheduled_for = None
    elif scheduled_for is not None and scheduled_for < decided_on:
        raise ServiceError("scheduled_for", "The procedure date cannot be before the decision.")
    with transaction.atomic():
        decision = Decision.objects.create(
            clinic=actor.clinic,
            patient=patient,
            created_by=actor.user,
            assessment=assessment,
            decided_on=decided_on,
            choice=choice,
            recommendation=recommendation.value,
            differs=differs,
            reason=reason.strip(),
            reassessment_due=reassessment_due,
            scheduled_for=scheduled_for,
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=decision,
            patient_id=patient.pk,
            detail={"choice": choice.value, "differs": differs},
        )
    return decision


# --- preparation checklist ------------------------------------------------------------------


def checklist_template(*, clinic) -> list[ChecklistTemplateItem]:
    """The clinic's active template items (the built-in list until the clinic edits it)."""
    items = list(ChecklistTemplateItem.objects.filter(clinic=clinic, active=True))
    if items or ChecklistTemplateItem.objects.filter(clinic=clinic).exists():
        return items
    return [
        ChecklistTemplateItem(clinic=clinic, position=i, text=text, patient_can_tick=tick)
        for i, (text, tick) in enumerate(DEFAULT_CHECKLIST)
    ]


def checklist_template_save(*, actor: Actor, items: list[dict]) -> None:
    """Replace the clinic's template; patients' existing copies stay as they were."""
    _require(actor, Perm.EDIT_CHECKLIST_TEMPLATE)
    with transaction.atomic():
        ChecklistTemplateItem.objects.filter(clinic=actor.clinic).update(active=False)
        ChecklistTemplateItem.objects.bulk_create(
            ChecklistTemplateItem(clinic=actor.clinic, position=i, **item)
            for i, item in enumerate(items)
        )


def checklist_start(*, actor: Actor, patient: Patient) -> list[ChecklistItem]:
    """Give the patient their own copy of the clinic's checklist (once)."""
    _require(actor, Perm.MANAGE_CHECKLIST, patient)
    with transaction.atomic():
        Patient.objects.select_for_update().get(pk=patient.pk, clinic=actor.clinic)
        existing = list(ChecklistItem.objects.filter(clinic=actor.clinic, patient=patient))
        if existing:
            return existing
        items = ChecklistItem.objects.bulk_create(
            ChecklistItem(
                clinic=actor.clinic,
                patient=patient,
                created_by=actor.user,
                position=t.position,
                text=t.text,
                patient_can_tick=t.patient_can_tick,
            )
            for t in checklist_template(clinic=actor.clinic)
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="pathway.checklistitem",
            patient_id=patient.pk,
            detail={"items": len(items)},
        )
    return items


def checklist_tick(*, actor: Actor, item: ChecklistItem, done: bool) -> ChecklistItem:
    """Tick or untick one item, recording who and when. Patients tick only their own items."""
    if actor.role is None:
        if actor.patient_id != item.patient_id or not item.patient_can_tick:
            raise ServiceError(None, "This item is ticked by the care team.")
    else:
        _require(actor, Perm.MANAGE_CHECKLIST)
    if item.clinic_id != actor.clinic.pk:
        raise ServiceError(None, "No such item.")
    with transaction.atomic():
        item = ChecklistItem.objects.select_for_update().get(pk=item.pk, clinic=actor.clinic)
        item.done_at = timezone.now() if done else None
        item.done_by = actor.user if done else None
        item.save(update_fields=["done_at", "done_by"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=item,
            patient_id=item.patient_id,
            detail={"done": done},
        )
    return item


# --- procedure and plan ---------------------------------------------------------------------


def _worst_grade(assessment: Assessment | None, levels: set[str]) -> int | None:
    if assessment is None:
        return None
    grades = [
        fx["genant_grade"]
        for fx in assessment.result.get("fractures", [])
        if fx["level"] in levels and fx.get("genant_grade") is not None
    ]
    return max(grades) if grades else None


def _oldest_fracture_days(
    assessment: Assessment | None, levels: set[str], on: datetime.date
) -> int | None:
    if assessment is None:
        return None
    ages = [
        (on - fx.onset).days
        for fx in assessment.fractures.all()
        if fx.level in levels and fx.onset is not None
    ]
    return max(ages) if ages else None


def plan_input(
    *,
    patient: Patient,
    procedure: Procedure,
    levels: list[str],
    factors: dict,
    assessment: Assessment | None,
) -> c.PlanInput:
    """The core's plan input: procedure, patient record, latest assessment, stated factors."""
    level_set = set(levels)
    grade = _worst_grade(assessment, level_set)
    return c.PlanInput(
        procedure_date=procedure.performed_on,
        levels=tuple(c.parse_level(level) for level in levels),
        age=patient.age_on(procedure.performed_on),
        asa_class=patient.asa_class,
        major_comorbidity=factors.get("major_comorbidity"),
        genant_grade=c.GenantGrade(grade) if grade is not None else None,
        kyphosis_deg=factors.get("kyphosis_deg"),
        fracture_age_days=_oldest_fracture_days(assessment, level_set, procedure.performed_on),
        osteoporosis_treatment=factors.get("osteoporosis_treatment"),
        depression=factors.get("depression"),
        baseline_pain_nrs=assessment.pain_nrs if assessment else None,
    )


def procedure_record(
    *, actor: Actor, patient: Patient, data: dict, levels: list[dict], factors: dict
) -> Procedure:
    """Record a procedure with its levels, then generate the recovery plan from it."""
    _require(actor, Perm.DOCUMENT_CLINICAL, patient)
    if not levels:
        raise ServiceError("levels", "Choose at least one treated level on the spine diagram.")
    with transaction.atomic():
        procedure = Procedure.objects.create(
            clinic=actor.clinic, patient=patient, created_by=actor.user, **data
        )
        ProcedureLevel.objects.bulk_create(
            ProcedureLevel(clinic=actor.clinic, procedure=procedure, position=i, **level)
            for i, level in enumerate(levels)
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=procedure,
            patient_id=patient.pk,
            detail={"levels": [lv["level"] for lv in levels]},
        )
        plan_create(actor=actor, patient=patient, procedure=procedure, factors=factors)
    return procedure


def plan_create(
    *, actor: Actor, patient: Patient, procedure: Procedure, factors: dict
) -> RecoveryPlan:
    _require(actor, Perm.DOCUMENT_CLINICAL, patient)
    assessment = (
        Assessment.objects.filter(clinic=actor.clinic, patient=patient)
        .prefetch_related("fractures")
        .first()
    )
    levels = list(procedure.levels.values_list("level", flat=True))
    inp = plan_input(
        patient=patient,
        procedure=procedure,
        levels=levels,
        factors=factors,
        assessment=assessment,
    )
    result = c.recovery_plan(inp)
    plan = RecoveryPlan.objects.create(
        clinic=actor.clinic,
        patient=patient,
        created_by=actor.user,
        procedure=procedure,
        inputs=to_data(inp),
        result=to_data(result),
        rules_version=result.rules_version,
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=plan, patient_id=patient.pk)
    return plan


def plan_adjust(
    *,
    actor: Actor,
    plan: RecoveryPlan,
    kind: str,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    text: str = "",
) -> PlanAdjustment:
    """Change a milestone's dates or add an instruction; the generated plan stays as it was."""
    _require(actor, Perm.DOCUMENT_CLINICAL)
    if plan.clinic_id != actor.clinic.pk:
        raise ServiceError(None, "No such plan.")
    kind = PlanAdjustment.Kind(kind)
    procedure_day = plan.procedure.performed_on
    if kind == PlanAdjustment.Kind.INSTRUCTION:
        if not text.strip():
            raise ServiceError("text", "Write the instruction to add.")
        start = end = None
    else:
        if start is None:
            raise ServiceError("start", "Give the new date.")
        if start < procedure_day:
            raise ServiceError("start", "The date cannot be before the procedure day.")
        if kind == PlanAdjustment.Kind.BONE_HEALTH:
            end = None
        elif end is None or end < start:
            raise ServiceError("end", "Give an end date on or after the start date.")
    with transaction.atomic():
        adjustment = PlanAdjustment.objects.create(
            clinic=actor.clinic,
            plan=plan,
            kind=kind,
            start=start,
            end=end,
            text=text.strip(),
            made_by=actor.user,
        )
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=plan,
            patient_id=plan.patient_id,
            detail={"adjusted": kind.value},
        )
    return adjustment


def cement_total(levels: list[ProcedureLevel]) -> Decimal:
    return sum((lv.cement_ml for lv in levels), Decimal("0"))
