from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from kyphocare.accounts import views as account_views
from kyphocare.accounts.forms import EmailLoginForm
from kyphocare.audit import views as audit_views
from kyphocare.pathway import urls as pathway_urls
from kyphocare.web import views as web_views

urlpatterns = [
    path("", web_views.home, name="home"),
    path("healthz", web_views.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            authentication_form=EmailLoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/clinic/", account_views.clinic_switch, name="clinic_switch"),
    path("invite/<str:token>/", account_views.invitation_accept, name="invitation_accept"),
    path("staff/", web_views.staff_home, name="staff_home"),
    path("patients/", include("kyphocare.patients.urls")),
    path("patients/<int:patient_id>/", include(pathway_urls.patient_urlpatterns)),
    path("pathway/", include(pathway_urls.urlpatterns)),
    path("audit/", audit_views.audit_list, name="audit_list"),
    path("audit/export.csv", audit_views.audit_export, name="audit_export"),
    path("my/", web_views.my_home, name="my_home"),
    path("admin/", admin.site.urls),
]
