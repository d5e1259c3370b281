"""Reads of the clinician pathway: scoped by clinic, access-checked, audited."""

import datetime
from dataclasses import dataclass, field

from django.http import Http404

from kyphocare import clinical as c
from kyphocare.accounts.access import Actor, Perm, require_patient_access
from kyphocare.audit.models import AuditAction
from kyphocare.audit.services import audit_record
from kyphocare.patients.models import Patient

from .models import (
    Assessment,
    ChecklistItem,
    Decision,
    PlanAdjustment,
    Procedure,
    RecoveryPlan,
)
from .snapshot import day


@dataclass
class PlanView:
    """A generated plan with the clinicians' adjustments applied (and kept visible)."""

    plan: RecoveryPlan
    phases: list[dict]
    follow_up_visit: dict
    normal_activities: dict
    bone_health: dict
    instructions: list[PlanAdjustment]
    adjustments: list[PlanAdjustment]
    factors: list[dict]
    milestones: list[dict]
    questionnaires: list[dict]
    reasons: list[str]
    not_recorded: list[str]
    patient_notes: list[str]

    def current_phase(self, on: datetime.date) -> dict | None:
        for phase in self.phases:
            if phase["start"] <= on and (phase["end"] is None or on <= phase["end"]):
                return phase
        return None


@dataclass
class Pathway:
    patient: Patient
    assessments: list[Assessment] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    checklist: list[ChecklistItem] = field(default_factory=list)
    procedures: list[Procedure] = field(default_factory=list)
    plan: PlanView | None = None

    @property
    def latest_assessment(self) -> Assessment | None:
        return self.assessments[0] if self.assessments else None

    @property
    def latest_decision(self) -> Decision | None:
        return self.decisions[0] if self.decisions else None

    @property
    def fractured_levels(self) -> list[str]:
        latest = self.latest_assessment
        return [fx.level for fx in latest.fractures.all()] if latest else []

    @property
    def treated_levels(self) -> list[str]:
        return [lv.level for p in self.procedures for lv in p.levels.all()]

    def procedure_details(self) -> list[dict]:
        """Each procedure with its CPT codes and, where heights were measured before and
        after, the height restoration per level (clinical-rules §5, §7)."""
        before = {}
        for assessment in reversed(self.assessments):  # the latest measurement wins
            for fx in assessment.fractures.all():
                if fx.ha is not None:
                    before[fx.level] = c.Morphometry(fx.ha, fx.hm, fx.hp, fx.hp_above, fx.hp_below)
        details = []
        for procedure in self.procedures:
            levels = list(procedure.levels.all())
            rows = []
            for lv in levels:
                restoration = None
                if lv.post_ha is not None and lv.level in before:
                    restoration = c.height_restoration(
                        before[lv.level], c.Morphometry(lv.post_ha, lv.post_hm, lv.post_hp)
                    )
                rows.append({"level": lv, "restoration": restoration})
            details.append(
                {
                    "procedure": procedure,
                    "levels": rows,
                    "codes": c.cpt_codes([lv.level for lv in levels]).codes,
                }
            )
        return details

    @property
    def stage(self) -> str:
        if self.procedures:
            return "procedure done"
        if self.latest_decision:
            return self.latest_decision.get_choice_display().lower()
        if self.assessments:
            return "assessed"
        return "referred"


def _window(value: dict | None) -> dict:
    value = value or {}
    return {"start": day(value.get("start")), "end": day(value.get("end"))}


def plan_view(plan: RecoveryPlan) -> PlanView:
    result = plan.result
    adjustments = list(plan.adjustments.select_related("made_by"))
    latest: dict[str, PlanAdjustment] = {}
    for adj in adjustments:
        latest[adj.kind] = adj
    follow_up = {**_window(result["follow_up_visit"]), "adjusted": None}
    normal = {
        **_window(result["return_to_normal_activities"]["window"]),
        "longer_recovery_likely": result["return_to_normal_activities"]["longer_recovery_likely"],
        "explanation": result["return_to_normal_activities"]["explanation"],
        "adjusted": None,
    }
    bone = {"start": day(result["bone_health_by"]), "end": None, "adjusted": None}
    for kind, target in (
        (PlanAdjustment.Kind.FOLLOW_UP, follow_up),
        (PlanAdjustment.Kind.NORMAL_ACTIVITIES, normal),
        (PlanAdjustment.Kind.BONE_HEALTH, bone),
    ):
        if kind in latest:
            adj = latest[kind]
            target.update(
                generated_start=target["start"],
                generated_end=target["end"],
                start=adj.start,
                end=adj.end,
                adjusted=adj,
            )
    phases = []
    for item in result["phases"]:
        info = c.PHASES_BY_KEY[c.Phase(item["phase"]["key"])]
        phases.append(
            {
                "key": info.key.value,
                "title": info.title,
                "do": info.do,
                "avoid": info.avoid,
                "start": day(item["start"]),
                "end": day(item["end"]),
                "first_day": info.first_day,
                "last_day": info.last_day,
            }
        )
    factors = [
        {"key": key, "label": c.FACTOR_LABELS[c.RecoveryFactor(key)]} for key in result["factors"]
    ]
    milestones = [
        {"key": m["key"], "label": m["label"], **_window(m["window"])} for m in result["milestones"]
    ]
    questionnaires = [
        {**q, "due": day(q["due"]), "window_end": day(q.get("window_end"))}
        for q in result["questionnaires"]
    ]
    return PlanView(
        plan=plan,
        phases=phases,
        follow_up_visit=follow_up,
        normal_activities=normal,
        bone_health=bone,
        instructions=[a for a in adjustments if a.kind == PlanAdjustment.Kind.INSTRUCTION],
        adjustments=adjustments,
        factors=factors,
        milestones=milestones,
        questionnaires=questionnaires,
        reasons=result["reasons"],
        not_recorded=result["not_recorded"],
        patient_notes=result["patient_notes"],
    )


def _scoped(model, actor: Actor, patient: Patient):
    return model.objects.filter(clinic=actor.clinic, patient=patient)


def pathway_get(*, actor: Actor, patient: Patient) -> Pathway:
    """Everything on a patient's pathway, in order, for the timeline. One audited read."""
    require_patient_access(actor, patient)
    pathway = Pathway(
        patient=patient,
        assessments=list(
            _scoped(Assessment, actor, patient)
            .select_related("created_by")
            .prefetch_related("fractures")
        ),
        decisions=list(_scoped(Decision, actor, patient).select_related("created_by")),
        checklist=list(_scoped(ChecklistItem, actor, patient).select_related("done_by")),
        procedures=list(
            _scoped(Procedure, actor, patient)
            .select_related("created_by")
            .prefetch_related("levels")
        ),
    )
    plan = _scoped(RecoveryPlan, actor, patient).select_related("procedure", "created_by").first()
    pathway.plan = plan_view(plan) if plan else None
    audit_record(
        actor=actor,
        action=AuditAction.VIEW,
        object_type="pathway.timeline",
        patient_id=patient.pk,
    )
    return pathway


def assessment_get(*, actor: Actor, patient: Patient, assessment_id: int) -> Assessment:
    require_patient_access(actor, patient)
    try:
        assessment = (
            _scoped(Assessment, actor, patient)
            .prefetch_related("fractures")
            .select_related("created_by")
            .get(pk=assessment_id)
        )
    except Assessment.DoesNotExist:
        raise Http404("No such assessment.") from None
    audit_record(actor=actor, action=AuditAction.VIEW, obj=assessment, patient_id=patient.pk)
    return assessment


def latest_assessment(*, actor: Actor, patient: Patient) -> Assessment | None:
    require_patient_access(actor, patient)
    return _scoped(Assessment, actor, patient).prefetch_related("fractures").first()


def checklist_item_get(*, actor: Actor, patient: Patient, item_id: int) -> ChecklistItem:
    require_patient_access(actor, patient)
    try:
        return _scoped(ChecklistItem, actor, patient).get(pk=item_id)
    except ChecklistItem.DoesNotExist:
        raise Http404("No such item.") from None


def plan_get(*, actor: Actor, patient: Patient) -> RecoveryPlan:
    require_patient_access(actor, patient)
    plan = _scoped(RecoveryPlan, actor, patient).select_related("procedure").first()
    if plan is None:
        raise Http404("No plan yet.")
    audit_record(actor=actor, action=AuditAction.VIEW, obj=plan, patient_id=patient.pk)
    return plan


def reassessments_due(*, actor: Actor, on: datetime.date, within_days: int = 7) -> list[Decision]:
    """Non-surgical decisions whose reassessment is due by `on` + `within_days`, oldest first."""
    if not actor.can(Perm.VIEW_PATIENTS):
        return []
    due = list(
        Decision.objects.filter(
            clinic=actor.clinic,
            reassessment_done=False,
            reassessment_due__lte=on + datetime.timedelta(days=within_days),
        )
        .select_related("patient")
        .order_by("reassessment_due")[:50]
    )
    if due:
        audit_record(
            actor=actor,
            action=AuditAction.LIST,
            object_type="pathway.decision",
            detail={"patient_ids": [d.patient_id for d in due], "purpose": "reassessments_due"},
        )
    return due
