"""Staff pages of the patient registry. Thin: authorise, call a selector or service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from kyphocare.accounts.access import Perm, staff_actor
from kyphocare.pathway import selectors as pathway_selectors
from kyphocare.pathway.spine import spine_levels

from . import selectors, services
from .forms import InvitationForm, PatientForm


@login_required
def patient_list(request):
    actor = staff_actor(request, Perm.VIEW_PATIENTS)
    query = request.GET.get("q", "")[:100]
    page = selectors.patient_search(actor=actor, query=query, page=request.GET.get("page", 1))
    template = (
        "patients/list.html#results" if "HX-Request" in request.headers else "patients/list.html"
    )
    return render(request, template, {"page": page, "query": query})


@login_required
@require_http_methods(["GET", "POST"])
def patient_create(request):
    actor = staff_actor(request, Perm.EDIT_PATIENTS)
    form = PatientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            patient = services.patient_create(actor=actor, data=form.cleaned_data)
        except services.ServiceError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, f"{patient.full_name} was added to the registry.")
            return redirect("patient_detail", patient_id=patient.pk)
    return render(
        request, "patients/form.html", {"form": form, "patient": None}, status=_status(form)
    )


@login_required
def patient_detail(request, patient_id: int):
    actor = staff_actor(request, Perm.VIEW_PATIENTS)
    patient = selectors.patient_get(actor=actor, patient_id=patient_id)
    invitations = selectors.patient_invitations(actor=actor, patient=patient)
    pathway = pathway_selectors.pathway_get(actor=actor, patient=patient)
    fractured, treated = pathway.fractured_levels, pathway.treated_levels
    return render(
        request,
        "patients/detail.html",
        {
            "pathway": pathway,
            "spine": spine_levels(fractured=fractured, treated=treated),
            "today": timezone.localdate(),
            "patient": patient,
            "age": patient.age_on(timezone.localdate()),
            "invitations": invitations,
            "invite_form": InvitationForm(initial={"email": patient.email}),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def patient_edit(request, patient_id: int):
    actor = staff_actor(request, Perm.EDIT_PATIENTS)
    patient = selectors.patient_get(actor=actor, patient_id=patient_id)
    form = PatientForm(request.POST or None, instance=patient)
    if request.method == "POST" and form.is_valid():
        try:
            services.patient_update(actor=actor, patient=patient, data=form.cleaned_data)
        except services.ServiceError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, "Changes saved.")
            return redirect("patient_detail", patient_id=patient.pk)
    return render(
        request, "patients/form.html", {"form": form, "patient": patient}, status=_status(form)
    )


@login_required
@require_http_methods(["POST"])
def patient_invite(request, patient_id: int):
    actor = staff_actor(request, Perm.INVITE_PATIENTS)
    patient = selectors.patient_get(actor=actor, patient_id=patient_id)
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            services.invitation_send(actor=actor, patient=patient, email=form.cleaned_data["email"])
        except services.ServiceError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, "Invitation sent. The link works once, for 7 days.")
            return redirect("patient_detail", patient_id=patient.pk)
    invitations = selectors.patient_invitations(actor=actor, patient=patient)
    return render(
        request,
        "patients/detail.html",
        {
            "patient": patient,
            "age": patient.age_on(timezone.localdate()),
            "invitations": invitations,
            "invite_form": form,
        },
        status=400,
    )


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200
