"""Forms of the clinician pathway. They check shape and range; the rules live in the core."""

from django import forms
from django.utils import timezone

from kyphocare import clinical as c
from kyphocare.clinical.decision import DecisionChoice

from .models import DECISION_LABELS, PlanAdjustment, Procedure, ProcedureLevel

ISO = ["%Y-%m-%d"]
DATE_HELP = "YYYY-MM-DD"
TRISTATE = [("", "Not recorded"), ("yes", "Yes"), ("no", "No")]


def tristate(label: str, **kwargs) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=TRISTATE,
        required=False,
        empty_value=None,
        coerce=lambda v: {"yes": True, "no": False}.get(v),
        widget=forms.RadioSelect,
        **kwargs,
    )


def date_field(label: str, required: bool = True, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=ISO,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": f"Enter the date as {DATE_HELP}."},
        **kwargs,
    )


def height_field(label: str) -> forms.FloatField:
    return forms.FloatField(
        label=label,
        required=False,
        min_value=0.1,
        max_value=59.9,
        widget=forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
        error_messages={
            "min_value": "Heights are more than 0 and less than 60 mm.",
            "max_value": "Heights are more than 0 and less than 60 mm.",
        },
    )


def _options(enum, labels, which="clinician"):
    return [(m.value, getattr(labels[m], which)) for m in enum]


class AssessmentForm(forms.Form):
    assessed_on = date_field("Assessment date")
    signs = forms.MultipleChoiceField(
        label="Signs and symptoms present (CCP)",
        required=False,
        choices=_options(c.Sign, c.SIGN_LABELS),
        widget=forms.CheckboxSelectMultiple,
    )
    pain_nrs = forms.TypedChoiceField(
        label="Pain now, 0–10 (NRS)",
        required=False,
        empty_value=None,
        coerce=int,
        choices=[("", "Not recorded")] + [(str(i), str(i)) for i in range(11)],
        error_messages={"invalid_choice": "Choose a pain score from 0 to 10."},
    )
    symptom_course = forms.ChoiceField(
        label="Course of the pain",
        required=False,
        widget=forms.RadioSelect,
        choices=[("", "Not recorded")] + [(m.value, m.value.capitalize()) for m in c.SymptomCourse],
    )
    hospitalized_for_pain = tristate("Hospitalised because of the fracture pain")
    nsm_tried = tristate("Non-surgical care tried (analgesia, bracing, physiotherapy)")
    nsm_what = forms.CharField(label="Non-surgical care: what", required=False, max_length=300)
    nsm_since = date_field("Non-surgical care: since", required=False)
    rmdq = forms.IntegerField(
        label="RMDQ score (0–24)",
        required=False,
        min_value=0,
        max_value=24,
        error_messages={"min_value": "RMDQ is 0 to 24.", "max_value": "RMDQ is 0 to 24."},
    )
    rmdq_source = forms.ChoiceField(
        label="RMDQ filled in by",
        required=False,
        choices=[("staff", "Staff, with the patient"), ("patient", "The patient")],
    )
    cancer = forms.ChoiceField(
        label="Malignancy",
        widget=forms.RadioSelect,
        choices=[("none", "None known"), ("suspected", "Suspected"), ("known", "Known")],
    )
    trauma = forms.ChoiceField(
        label="Trauma",
        widget=forms.RadioSelect,
        choices=[
            ("none", "No trauma"),
            ("low_energy", "Low-energy (e.g. fall from standing)"),
            ("high_energy", "High-energy (e.g. road accident, fall from height)"),
        ],
    )
    contraindications = forms.MultipleChoiceField(
        label="Contraindications",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[
            (
                m.value,
                c.CONTRAINDICATION_LABELS[m].clinician
                + (" (absolute)" if m in c.ABSOLUTE_CONTRAINDICATIONS else " (relative)"),
            )
            for m in c.Contraindication
            if m != c.Contraindication.MORE_THAN_THREE_LEVELS  # derived from the fractures
        ],
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean_assessed_on(self):
        value = self.cleaned_data["assessed_on"]
        if value > timezone.localdate():
            raise forms.ValidationError("The assessment date cannot be in the future.")
        return value

    def clean(self):
        data = super().clean()
        if data.get("rmdq") is None:
            data["rmdq_source"] = ""
        since, on = data.get("nsm_since"), data.get("assessed_on")
        if since and on and since > on:
            self.add_error("nsm_since", "This date cannot be after the assessment date.")
        return data


class FractureForm(forms.Form):
    level = forms.ChoiceField(
        label="Level",
        required=False,
        choices=[("", "—")] + [(lv.value, lv.value) for lv in c.Level],
        error_messages={"invalid_choice": "Choose a level from T1 to L5."},
    )
    onset = date_field("Onset (or best estimate)", required=False)
    imaging_modality = forms.ChoiceField(
        label="Advanced imaging",
        required=False,
        choices=[
            ("", "Not done yet"),
            ("mri", "MRI"),
            ("ct", "CT"),
            ("bone_scan", "Bone scan (SPECT)"),
            ("xray", "X-ray only"),
        ],
    )
    imaging_date = date_field("Imaging date", required=False)
    imaging_acute = tristate("Imaging shows an acute fracture (oedema, uptake)")
    ha = height_field("Anterior height ha (mm)")
    hm = height_field("Middle height hm (mm)")
    hp = height_field("Posterior height hp (mm)")
    hp_above = height_field("Posterior height, level above (mm)")
    hp_below = height_field("Posterior height, level below (mm)")
    height_loss_pct = forms.FloatField(
        label="Height loss % (if no measurements)",
        required=False,
        min_value=0,
        max_value=100,
    )
    kyphotic_deformity = tristate("Kyphotic deformity")
    progression = tristate("Height loss progressing on follow-up imaging")
    pain_correlates = tristate("Pain matches this level on examination")

    def clean(self):
        data = super().clean()
        if not data.get("level"):
            return data
        heights = [data.get(k) for k in ("ha", "hm", "hp")]
        if any(h is not None for h in heights) and not all(h is not None for h in heights):
            for key in ("ha", "hm", "hp"):
                if data.get(key) is None:
                    self.add_error(key, "Enter all three heights (ha, hm, hp), or none.")
        if data.get("imaging_acute") is not None and not data.get("imaging_modality"):
            self.add_error("imaging_modality", "Say which imaging showed this.")
        return data


class BaseFractureFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        levels = [f.cleaned_data.get("level") for f in self.forms if f.cleaned_data.get("level")]
        if not levels:
            raise forms.ValidationError("Record at least one fracture (choose its level).")
        if len(set(levels)) != len(levels):
            raise forms.ValidationError("Each level can be recorded only once.")

    def fractures(self) -> list[dict]:
        return [dict(f.cleaned_data) for f in self.forms if f.cleaned_data.get("level")]


FractureFormSet = forms.formset_factory(
    FractureForm, formset=BaseFractureFormSet, extra=0, min_num=3, max_num=6, validate_max=True
)


class MorphometryForm(forms.Form):
    ha = height_field("ha")
    hm = height_field("hm")
    hp = height_field("hp")
    hp_above = height_field("hp above")
    hp_below = height_field("hp below")


class DecisionForm(forms.Form):
    choice = forms.ChoiceField(
        label="Decision",
        widget=forms.RadioSelect,
        choices=[(m.value, DECISION_LABELS[m]) for m in DecisionChoice],
    )
    decided_on = date_field("Decision date")
    reason = forms.CharField(
        label="Reason (needed when the decision differs from the recommendation)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reassessment_due = date_field("Reassessment date (non-surgical: 2–4 weeks)", required=False)
    scheduled_for = date_field("Procedure date, if scheduled (kyphoplasty)", required=False)


class ChecklistTemplateForm(forms.Form):
    text = forms.CharField(label="Item", max_length=200, required=False)
    patient_can_tick = forms.BooleanField(label="Patient may tick it", required=False)


ChecklistTemplateFormSet = forms.formset_factory(ChecklistTemplateForm, extra=3, max_num=30)


class ProcedureForm(forms.Form):
    performed_on = date_field("Procedure date")
    anaesthesia = forms.ChoiceField(
        label="Anaesthesia",
        widget=forms.RadioSelect,
        choices=Procedure._meta.get_field("anaesthesia").choices,
    )
    duration_min = forms.IntegerField(label="Duration (minutes)", min_value=1, max_value=600)
    discharge = forms.ChoiceField(
        label="Discharge",
        widget=forms.RadioSelect,
        choices=Procedure._meta.get_field("discharge").choices,
    )
    complications = forms.CharField(
        label="Complications (leave empty if none)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    levels = forms.MultipleChoiceField(
        label="Treated levels",
        choices=[(lv.value, lv.value) for lv in c.Level],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one treated level on the spine diagram."},
    )
    # Recovery factors the plan needs (clinical-rules §8)
    kyphosis_deg = forms.FloatField(
        label="Segmental kyphosis (degrees), if measured",
        required=False,
        min_value=0,
        max_value=90,
    )
    osteoporosis_treatment = tristate("On osteoporosis treatment (or starting it)")
    depression = tristate("Depression")
    major_comorbidity = tristate("Major comorbidity (besides the ASA class)")

    def clean_performed_on(self):
        value = self.cleaned_data["performed_on"]
        if value > timezone.localdate() + timezone.timedelta(days=1):
            raise forms.ValidationError("Record a procedure on or after the day it is done.")
        return value


class ProcedureLevelForm(forms.Form):
    approach = forms.ChoiceField(
        label="Approach", choices=ProcedureLevel._meta.get_field("approach").choices
    )
    cement_ml = forms.DecimalField(
        label="Cement (mL)",
        min_value=0,
        max_value=15,
        max_digits=4,
        decimal_places=1,
        error_messages={
            "max_value": "Cement volume is 0 to 15 mL per level.",
            "min_value": "Cement volume is 0 to 15 mL per level.",
        },
    )
    leakage = forms.ChoiceField(
        label="Cement leakage", choices=ProcedureLevel._meta.get_field("leakage").choices
    )
    leakage_site = forms.ChoiceField(
        label="Leakage site",
        required=False,
        choices=[("", "—"), *ProcedureLevel._meta.get_field("leakage_site").choices],
    )
    biopsy = forms.BooleanField(label="Biopsy taken", required=False)
    post_ha = height_field("After: anterior height (mm)")
    post_hm = height_field("After: middle height (mm)")
    post_hp = height_field("After: posterior height (mm)")

    def clean(self):
        data = super().clean()
        if data.get("leakage") in ("asymptomatic", "symptomatic") and not data.get("leakage_site"):
            self.add_error("leakage_site", "Say where the cement leaked.")
        if data.get("leakage") == "none":
            data["leakage_site"] = ""
        heights = [data.get(k) for k in ("post_ha", "post_hm", "post_hp")]
        if any(h is not None for h in heights) and not all(h is not None for h in heights):
            self.add_error("post_ha", "Enter all three heights after the procedure, or none.")
        return data


class PlanAdjustmentForm(forms.Form):
    kind = forms.ChoiceField(label="What to change", choices=PlanAdjustment.Kind.choices)
    start = date_field("New date (or start of the window)", required=False)
    end = date_field("End of the window", required=False)
    text = forms.CharField(
        label="Instruction for the patient",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
