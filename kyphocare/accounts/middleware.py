"""Request-wide account state: the active clinic and the idle-session timeout."""

from django.conf import settings
from django.contrib.auth import logout
from django.utils import timezone

from .access import active_memberships, choose_membership

ACTIVE_CLINIC_KEY = "active_clinic_id"


class SessionTimeoutMiddleware:
    """Staff sessions end after a quiet period; patients stay signed in longer.

    The session's expiry is pushed forward on every request, so the limit counts idle time.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            if not user.is_active or (user.is_demo and settings.PRODUCTION):
                logout(request)
            else:
                idle = (
                    settings.PATIENT_SESSION_IDLE_SECONDS
                    if user.is_patient
                    else settings.STAFF_SESSION_IDLE_SECONDS
                )
                request.session.set_expiry(idle)
        return self.get_response(request)


class ActiveClinicMiddleware:
    """Sets request.membership (None for patients, anonymous users and people with no clinic)
    and shows times in the clinic's time zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.memberships = active_memberships(request.user)
        request.membership = choose_membership(
            request.memberships, request.session.get(ACTIVE_CLINIC_KEY)
        )
        clinic = request.membership.clinic if request.membership else None
        if clinic is None and request.user.is_authenticated and request.user.is_patient:
            record = getattr(request.user, "patient_record", None)
            clinic = record.clinic if record else None
        if clinic is not None:
            timezone.activate(clinic.time_zone)
        else:
            timezone.deactivate()
        return self.get_response(request)
