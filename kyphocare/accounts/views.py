from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from kyphocare.patients import services as patient_services

from .access import client_ip
from .forms import SetPasswordForm
from .middleware import ACTIVE_CLINIC_KEY


@login_required
@require_POST
def clinic_switch(request):
    """Make another of the person's clinics the active one."""
    try:
        clinic_id = int(request.POST.get("clinic", ""))
    except ValueError:
        raise Http404("No such clinic.") from None
    membership = next((m for m in request.memberships if m.clinic_id == clinic_id), None)
    if membership is None:
        raise Http404("No such clinic.")
    request.session[ACTIVE_CLINIC_KEY] = clinic_id
    messages.info(request, f"You are now working in {membership.clinic}.")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "home"
    return redirect(target)


@require_http_methods(["GET", "POST"])
def invitation_accept(request, token: str):
    """A patient's first visit: choose a password, then straight into the portal."""
    invitation = patient_services.invitation_find(token)
    if invitation is None:
        return render(request, "registration/invitation_invalid.html", status=404)
    form = SetPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = patient_services.invitation_accept(
                token=token, password=form.cleaned_data["password1"], ip=client_ip(request)
            )
        except ValidationError as error:
            form.add_error("password1", error)
        except patient_services.ServiceError as error:
            form.add_error(None, error.message)
        else:
            login(request, user, backend="kyphocare.accounts.backends.EmailBackend")
            messages.success(request, "Welcome. Your account is ready.")
            return redirect("home")
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request,
        "registration/invitation_accept.html",
        {"form": form, "invitation": invitation},
        status=status,
    )
