"""Staff pages of the pathway. Thin: authorise, call a selector or a service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from kyphocare import clinical as c
from kyphocare.accounts.access import Perm, staff_actor
from kyphocare.clinical.decision import MATCHING_DECISIONS, reassessment_window
from kyphocare.patients import selectors as patient_selectors
from kyphocare.patients.services import ServiceError

from . import selectors, services
from .forms import (
    AssessmentForm,
    ChecklistTemplateFormSet,
    DecisionForm,
    FractureFormSet,
    MorphometryForm,
    PlanAdjustmentForm,
    ProcedureForm,
    ProcedureLevelForm,
)
from .spine import spine_levels

ASSESSMENT_FIELDS = [
    "assessed_on",
    "signs",
    "pain_nrs",
    "symptom_course",
    "hospitalized_for_pain",
    "nsm_tried",
    "nsm_what",
    "nsm_since",
    "rmdq",
    "rmdq_source",
    "cancer",
    "trauma",
    "contraindications",
    "notes",
]


def _status(*forms) -> int:
    return 400 if any(f.is_bound and not f.is_valid() for f in forms) else 200


def _service_error(form, error: ServiceError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


# --- assessment -----------------------------------------------------------------------------


def _assessment_initial(patient, previous):
    if previous is not None:
        initial = {name: getattr(previous, name) for name in ASSESSMENT_FIELDS}
        initial["assessed_on"] = timezone.localdate()
        for name in ("hospitalized_for_pain", "nsm_tried"):
            initial[name] = {True: "yes", False: "no"}.get(initial[name], "")
        fractures = [
            {
                "level": fx.level,
                "onset": fx.onset,
                "imaging_modality": fx.imaging_modality,
                "imaging_date": fx.imaging_date,
                "ha": fx.ha,
                "hm": fx.hm,
                "hp": fx.hp,
                "hp_above": fx.hp_above,
                "hp_below": fx.hp_below,
                "height_loss_pct": fx.height_loss_pct,
                **{
                    k: {True: "yes", False: "no"}.get(getattr(fx, k), "")
                    for k in (
                        "imaging_acute",
                        "kyphotic_deformity",
                        "progression",
                        "pain_correlates",
                    )
                },
            }
            for fx in previous.fractures.all()
        ]
        return initial, fractures
    signs = []
    if patient.osteoporosis:
        signs.append(c.Sign.OSTEOPOROSIS_OR_OSTEOPENIA.value)
    if patient.previous_vcf:
        signs.append(c.Sign.PREVIOUS_VCF.value)
    if patient.corticosteroids:
        signs.append(c.Sign.CHRONIC_CORTICOSTEROIDS.value)
    return {"assessed_on": timezone.localdate(), "signs": signs}, []


@login_required
@require_http_methods(["GET", "POST"])
def assessment_new(request, patient_id: int):
    actor = staff_actor(request, Perm.DOCUMENT_CLINICAL)
    patient = patient_selectors.patient_get(actor=actor, patient_id=patient_id)
    previous = selectors.latest_assessment(actor=actor, patient=patient)
    initial, fractures = _assessment_initial(patient, previous)
    form = AssessmentForm(request.POST or None, initial=initial)
    formset = FractureFormSet(request.POST or None, initial=fractures, prefix="fx")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = {k: form.cleaned_data[k] for k in ASSESSMENT_FIELDS}
        try:
            assessment = services.assessment_create(
                actor=actor, patient=patient, data=data, fractures=formset.fractures()
            )
        except ServiceError as error:
            _service_error(form, error)
        else:
            messages.success(request, f"Assessment version {assessment.version} saved.")
            return redirect("assessment_detail", patient_id=patient.pk, assessment_id=assessment.pk)
    return render(
        request,
        "pathway/assessment_form.html",
        {"patient": patient, "form": form, "formset": formset, "previous": previous},
        status=_status(form, formset),
    )


@login_required
def assessment_detail(request, patient_id: int, assessment_id: int):
    actor = staff_actor(request, Perm.VIEW_PATIENTS)
    patient = patient_selectors.patient_get(actor=actor, patient_id=patient_id)
    assessment = selectors.assessment_get(actor=actor, patient=patient, assessment_id=assessment_id)
    return render(
        request,
        "pathway/assessment_detail.html",
        {
            "patient": patient,
            "assessment": assessment,
            "result": assessment.result,
            "spine": spine_levels(fractured=[fx.level for fx in assessment.fractures.all()]),
        },
    )


@login_required
@require_POST
def morphometry_preview(request):
    """Live Genant grade and height loss while heights are typed (htmx). Reads no patient data."""
    staff_actor(request, Perm.VIEW_PATIENTS)
    prefix = request.POST.get("prefix", "")
    if not prefix.replace("-", "").replace("fx", "").isdigit():
        prefix = ""
    values = {
        k: request.POST.get(f"{prefix}-{k}", "") for k in ("ha", "hm", "hp", "hp_above", "hp_below")
    }
    form = MorphometryForm(values)
    result, message = None, "Enter ha, hm and hp to see the grade."
    if form.is_valid() and all(form.cleaned_data[k] is not None for k in ("ha", "hm", "hp")):
        try:
            result = c.grade_morphometry(c.Morphometry(**form.cleaned_data))
        except c.ClinicalInputError as error:
            message = str(error)
    elif form.errors:
        message = " ".join(e for errs in form.errors.values() for e in errs)
    return render(request, "pathway/_morphometry.html", {"result": result, "message": message})


# --- decision -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def decision_new(request, patient_id: int):
    actor = staff_actor(request, Perm.DOCUMENT_CLINICAL)
    patient = patient_selectors.patient_get(actor=actor, patient_id=patient_id)
    assessment = selectors.latest_assessment(actor=actor, patient=patient)
    if assessment is None:
        messages.info(request, "Assess the patient before recording a decision.")
        return redirect("assessment_new", patient_id=patient.pk)
    today = timezone.localdate()
    window = reassessment_window(today)
    form = DecisionForm(
        request.POST or None,
        initial={"decided_on": today, "reassessment_due": window.start},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_record(
                actor=actor, patient=patient, assessment=assessment, **form.cleaned_data
            )
        except ServiceError as error:
            _service_error(form, error)
        else:
            messages.success(request, "Decision recorded.")
            return redirect("patient_detail", patient_id=patient.pk)
    recommendation = c.Recommendation(assessment.result["recommendation"])
    return render(
        request,
        "pathway/decision_form.html",
        {
            "patient": patient,
            "form": form,
            "assessment": assessment,
            "result": assessment.result,
            "window": window,
            "matching": sorted(m.value for m in MATCHING_DECISIONS[recommendation]),
        },
        status=_status(form),
    )


# --- preparation checklist ------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def checklist(request, patient_id: int):
    actor = staff_actor(request, Perm.MANAGE_CHECKLIST)
    patient = patient_selectors.patient_get(actor=actor, patient_id=patient_id)
    if request.method == "POST":
        services.checklist_start(actor=actor, patient=patient)
        return redirect("checklist", patient_id=patient.pk)
    pathway = selectors.pathway_get(actor=actor, patient=patient)
    return render(request, "pathway/checklist.html", {"patient": patient, "pathway": pathway})


@login_required
@require_POST
def checklist_tick(request, patient_id: int, item_id: int):
    actor = staff_actor(request, Perm.MANAGE_CHECKLIST)
    patient = patient_selectors.patient_get(actor=actor, patient_id=patient_id)
    item = selectors.checklist_item_get(actor=actor, patient=patient, item_id=item_id)
    item = services.checklist_tick(actor=actor, item=item, done=request.POST.get("done") == "1")
    if "HX-Request" in request.headers:
        return render(request, "pathway/_checklist_item.html", {"item": item, "patient": patient})
    return redirect("checklist", patient_id=patient.pk)


@login_required
@require_http_methods(["GET", "POST"])
def checklist_template(request):
    actor = staff_actor(request, Perm.EDIT_CHECKLIST_TEMPLATE)
    current = services.checklist_template(clinic=actor.clinic)
    formset = ChecklistTemplateFormSet(
        request.POST or None,
        initial=[{"text": t.text, "patient_can_tick": t.patient_can_tick} for t in current],
        prefix="item",
    )
    if request.method == "POST" and formset.is_valid():
        items = [f.cleaned_data for f in formset.forms if f.cleaned_data.get("text", "").strip()]
        if not items:
            formset._non_form_errors = formset.error_class(["Keep at least one item."])
        else:
            services.checklist_template_save(actor=actor, items=items)
            messages.success(request, "Checklist template saved. New checklists will use it.")
            return redirect("checklist_template")
    return render(
        request,
        "pathway/checklist_template.html",
        {"formset": formset},
        status=400 if request.method == "POST" else 200,
    )


# --- procedure and plan ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def procedure_new(request, patient_id: int):
    actor = staff_actor(request, Perm.DOCUMENT_CLINICAL)
    patient = patient_selectors.patient_get(actor=actor, patient_id=patient_id)
    pathway = selectors.pathway_get(actor=actor, patient=patient)
    decision = pathway.latest_decision
    assessment = pathway.latest_assessment
    fractured = pathway.fractured_levels
    default_levels = (assessment.result.get("levels") or fractured) if assessment else []
    form = ProcedureForm(
        request.POST or None,
        initial={
            "performed_on": (decision.scheduled_for if decision else None) or timezone.localdate(),
            "levels": default_levels,
        },
    )
    level_forms = {
        level.value: ProcedureLevelForm(
            request.POST or None,
            prefix=f"lv-{level.value}",
            initial={"approach": "bipedicular", "leakage": "none"},
        )
        for level in c.Level
    }
    chosen = form.data.getlist("levels") if form.is_bound else default_levels
    if request.method == "POST" and form.is_valid():
        levels = form.cleaned_data["levels"]
        chosen_forms = [level_forms[lv] for lv in levels]
        if all(f.is_valid() for f in chosen_forms):
            data = {
                k: form.cleaned_data[k]
                for k in (
                    "performed_on",
                    "anaesthesia",
                    "duration_min",
                    "discharge",
                    "complications",
                )
            }
            factors = {
                k: form.cleaned_data[k]
                for k in (
                    "kyphosis_deg",
                    "osteoporosis_treatment",
                    "depression",
                    "major_comorbidity",
                )
            }
            try:
                services.procedure_record(
                    actor=actor,
                    patient=patient,
                    data=data,
                    factors=factors,
                    levels=[{"level": lv, **level_forms[lv].cleaned_data} for lv in levels],
                )
            except ServiceError as error:
                _service_error(form, error)
            else:
                messages.success(request, "Procedure recorded; the recovery plan is ready.")
                return redirect("plan_detail", patient_id=patient.pk)
    bad = form.is_bound and (
        not form.is_valid()
        or any(not level_forms[lv].is_valid() for lv in chosen if lv in level_forms)
    )
    known = [lv for lv in chosen if lv in level_forms]
    cpt = c.cpt_codes(known) if known else None
    return render(
        request,
        "pathway/procedure_form.html",
        {
            "patient": patient,
            "form": form,
            "chosen": chosen,
            "cpt": cpt,
            "level_forms": [(lv, f, lv in chosen) for lv, f in level_forms.items()],
            "spine": spine_levels(fractured=fractured, treated=chosen),
        },
        status=400 if bad else 200,
    )


@login_required
def plan_detail(request, patient_id: int):
    actor = staff_actor(request, Perm.VIEW_PATIENTS)
    patient = patient_selectors.patient_get(actor=actor, patient_id=patient_id)
    plan = selectors.plan_get(actor=actor, patient=patient)
    form = PlanAdjustmentForm()
    return _render_plan(request, actor, patient, plan, form, "pathway/plan_detail.html")


@login_required
@require_POST
def plan_adjust(request, patient_id: int):
    actor = staff_actor(request, Perm.DOCUMENT_CLINICAL)
    patient = patient_selectors.patient_get(actor=actor, patient_id=patient_id)
    plan = selectors.plan_get(actor=actor, patient=patient)
    form = PlanAdjustmentForm(request.POST)
    if form.is_valid():
        try:
            services.plan_adjust(actor=actor, plan=plan, **form.cleaned_data)
        except ServiceError as error:
            _service_error(form, error)
        else:
            messages.success(request, "Plan adjusted. The change and your name are kept.")
            return redirect("plan_detail", patient_id=patient.pk)
    return _render_plan(request, actor, patient, plan, form, "pathway/plan_detail.html", status=400)


@login_required
def plan_print(request, patient_id: int):
    actor = staff_actor(request, Perm.VIEW_PATIENTS)
    patient = patient_selectors.patient_get(actor=actor, patient_id=patient_id)
    plan = selectors.plan_get(actor=actor, patient=patient)
    return _render_plan(request, actor, patient, plan, None, "pathway/plan_print.html")


def _render_plan(request, actor, patient, plan, form, template, status=200):
    view = selectors.plan_view(plan)
    levels = list(plan.procedure.levels.all())
    return render(
        request,
        template,
        {
            "patient": patient,
            "clinic": actor.clinic,
            "view": view,
            "form": form,
            "today": timezone.localdate(),
            "current": view.current_phase(timezone.localdate()),
            "levels": levels,
            "spine": spine_levels(treated=[lv.level for lv in levels]),
        },
        status=status,
    )


@login_required
@require_POST
def cpt_preview(request):
    """CPT codes for the levels being chosen (htmx). Reads no patient data."""
    staff_actor(request, Perm.VIEW_PATIENTS)
    chosen = [lv for lv in request.POST.getlist("levels") if lv in c.LEVELS]
    cpt = c.cpt_codes(chosen) if chosen else None
    return render(request, "pathway/_cpt.html", {"cpt": cpt})
