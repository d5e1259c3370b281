"""Pages everyone shares: the front door, the staff home and the patient's home."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone

from kyphocare.accounts.access import Perm, patient_actor, staff_actor
from kyphocare.pathway import selectors as pathway_selectors
from kyphocare.patients import selectors as patient_selectors


@login_required
def home(request):
    if request.user.is_patient:
        return redirect("my_home")
    if request.membership is None:
        return render(request, "web/no_clinic.html", status=403)
    return redirect("staff_home")


@login_required
def staff_home(request):
    actor = staff_actor(request, Perm.VIEW_PATIENTS)
    today = timezone.localdate()
    due = pathway_selectors.reassessments_due(actor=actor, on=today)
    return render(
        request, "web/staff_home.html", {"actor": actor, "reassessments": due, "today": today}
    )


@login_required
def my_home(request):
    actor = patient_actor(request)
    patient = patient_selectors.patient_get(actor=actor, patient_id=actor.patient_id)
    return render(request, "web/my_home.html", {"patient": patient, "clinic": actor.clinic})


def healthz(request):
    from django.db import connection
    from django.http import JsonResponse

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
