from django.urls import path

from . import views

# Under /patients/<patient_id>/ (see kyphocare/urls.py)
patient_urlpatterns = [
    path("assessments/new/", views.assessment_new, name="assessment_new"),
    path("assessments/<int:assessment_id>/", views.assessment_detail, name="assessment_detail"),
    path("decision/new/", views.decision_new, name="decision_new"),
    path("checklist/", views.checklist, name="checklist"),
    path("checklist/<int:item_id>/tick/", views.checklist_tick, name="checklist_tick"),
    path("procedure/new/", views.procedure_new, name="procedure_new"),
    path("plan/", views.plan_detail, name="plan_detail"),
    path("plan/adjust/", views.plan_adjust, name="plan_adjust"),
    path("plan/print/", views.plan_print, name="plan_print"),
]

# Clinic-wide pages and fragments
urlpatterns = [
    path("checklist-template/", views.checklist_template, name="checklist_template"),
    path("morphometry/", views.morphometry_preview, name="morphometry_preview"),
    path("cpt/", views.cpt_preview, name="cpt_preview"),
]
