"""The clinician pathway: assessment → decision → preparation → procedure → recovery plan.

Every row carries its clinic and patient. Clinical results (recommendations, grades, codes,
dates) come from kyphocare.clinical; what was shown at the time is kept as a snapshot together
with the rules version that produced it, so a record reads the same years later.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from kyphocare import clinical as c
from kyphocare.clinical.decision import DecisionChoice


def _choices(enum, labels=None):
    return [(m.value, (labels or {}).get(m, m.value.replace("_", " ").capitalize())) for m in enum]


LEVEL_CHOICES = [(level.value, level.value) for level in c.Level]


class PatientOwned(models.Model):
    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class Assessment(PatientOwned):
    """One version of the referral assessment. A reassessment adds a version; none is edited."""

    class RmdqSource(models.TextChoices):
        STAFF = "staff", "Entered by staff"
        PATIENT = "patient", "Filled in by the patient"

    version = models.PositiveIntegerField()
    assessed_on = models.DateField()
    signs = models.JSONField(default=list, blank=True)  # clinical.Sign values
    pain_nrs = models.PositiveSmallIntegerField(null=True, blank=True)
    symptom_course = models.CharField(max_length=12, blank=True)  # clinical.SymptomCourse
    hospitalized_for_pain = models.BooleanField(null=True)
    nsm_tried = models.BooleanField("non-surgical care tried", null=True)
    nsm_what = models.CharField("non-surgical care: what", max_length=300, blank=True)
    nsm_since = models.DateField("non-surgical care: since", null=True, blank=True)
    rmdq = models.PositiveSmallIntegerField("RMDQ score", null=True, blank=True)
    rmdq_source = models.CharField(max_length=10, choices=RmdqSource.choices, blank=True)
    cancer = models.CharField(max_length=12)  # clinical.CancerStatus
    trauma = models.CharField(max_length=12)  # clinical.Trauma
    contraindications = models.JSONField(default=list, blank=True)  # clinical.Contraindication
    notes = models.TextField(blank=True)
    result = models.JSONField()  # snapshot of clinical.assess(), as shown
    rules_version = models.CharField(max_length=20)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "version"], name="one_assessment_version")
        ]

    def __str__(self) -> str:
        return f"Assessment v{self.version} of patient {self.patient_id}"


class AssessmentFracture(models.Model):
    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.PROTECT, related_name="+")
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="fractures")
    position = models.PositiveSmallIntegerField(default=0)
    level = models.CharField(max_length=3, choices=LEVEL_CHOICES)
    onset = models.DateField(null=True, blank=True)
    imaging_modality = models.CharField(max_length=10, blank=True)  # clinical.ImagingModality
    imaging_date = models.DateField(null=True, blank=True)
    imaging_acute = models.BooleanField(null=True)
    ha = models.FloatField(null=True, blank=True)
    hm = models.FloatField(null=True, blank=True)
    hp = models.FloatField(null=True, blank=True)
    hp_above = models.FloatField(null=True, blank=True)
    hp_below = models.FloatField(null=True, blank=True)
    height_loss_pct = models.FloatField(null=True, blank=True)
    kyphotic_deformity = models.BooleanField(null=True)
    progression = models.BooleanField(null=True)
    pain_correlates = models.BooleanField(null=True)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.level} (assessment {self.assessment_id})"


DECISION_LABELS = {
    DecisionChoice.KYPHOPLASTY: "Kyphoplasty",
    DecisionChoice.NON_SURGICAL: "Non-surgical management",
    DecisionChoice.REFERRAL: "Referral (specialist or spine surgery)",
}


class Decision(PatientOwned):
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField()
    choice = models.CharField(max_length=20, choices=_choices(DecisionChoice, DECISION_LABELS))
    recommendation = models.CharField(max_length=20)  # the tool's, shown beside the choice
    differs = models.BooleanField(default=False)
    reason = models.TextField(blank=True)
    reassessment_due = models.DateField(null=True, blank=True)
    reassessment_done = models.BooleanField(default=False)
    scheduled_for = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_choice_display()} for patient {self.patient_id}"


class ChecklistTemplateItem(models.Model):
    """A clinic's preparation checklist, edited by the clinic."""

    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=200)
    patient_can_tick = models.BooleanField(default=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class ChecklistItem(PatientOwned):
    """One patient's copy of a template item, with who ticked it and when."""

    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=200)
    patient_can_tick = models.BooleanField(default=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class Procedure(PatientOwned):
    performed_on = models.DateField()
    anaesthesia = models.CharField(
        max_length=20,
        choices=_choices(
            c.Anaesthesia,
            {
                c.Anaesthesia.LOCAL_SEDATION: "Local anaesthesia with sedation",
                c.Anaesthesia.GENERAL: "General anaesthesia",
            },
        ),
    )
    duration_min = models.PositiveSmallIntegerField(
        "duration (minutes)", validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    discharge = models.CharField(
        max_length=20,
        choices=_choices(
            c.Discharge,
            {
                c.Discharge.SAME_DAY: "Home the same day",
                c.Discharge.OVERNIGHT: "Overnight stay",
                c.Discharge.ADMITTED: "Admitted",
            },
        ),
    )
    complications = models.TextField(blank=True)

    class Meta:
        ordering = ["-performed_on", "-id"]

    def __str__(self) -> str:
        return f"Procedure {self.pk} for patient {self.patient_id}"


class ProcedureLevel(models.Model):
    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.PROTECT, related_name="+")
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="levels")
    position = models.PositiveSmallIntegerField(default=0)
    level = models.CharField(max_length=3, choices=LEVEL_CHOICES)
    approach = models.CharField(max_length=15, choices=_choices(c.Approach))
    cement_ml = models.DecimalField(
        "cement volume (mL)",
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(15)],
    )
    leakage = models.CharField(
        max_length=15,
        choices=_choices(
            c.CementLeakage,
            {
                c.CementLeakage.NONE: "None",
                c.CementLeakage.ASYMPTOMATIC: "Yes, no symptoms",
                c.CementLeakage.SYMPTOMATIC: "Yes, with symptoms",
            },
        ),
    )
    leakage_site = models.CharField(max_length=20, blank=True, choices=_choices(c.LeakageSite))
    biopsy = models.BooleanField(default=False)
    post_ha = models.FloatField(null=True, blank=True)
    post_hm = models.FloatField(null=True, blank=True)
    post_hp = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.level


class RecoveryPlan(PatientOwned):
    """The plan generated from a procedure and the patient's factors (an estimate)."""

    procedure = models.OneToOneField(Procedure, on_delete=models.PROTECT, related_name="plan")
    inputs = models.JSONField()  # the clinical.PlanInput it was made from
    result = models.JSONField()  # snapshot of clinical.recovery_plan()
    rules_version = models.CharField(max_length=20)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Recovery plan {self.pk} for patient {self.patient_id}"


class PlanAdjustment(models.Model):
    """A clinician's change to a generated plan: new dates for a milestone, or an instruction."""

    class Kind(models.TextChoices):
        FOLLOW_UP = "follow_up_visit", "Follow-up visit window"
        NORMAL_ACTIVITIES = "normal_activities", "Return to normal activities"
        BONE_HEALTH = "bone_health", "Bone-health evaluation due"
        INSTRUCTION = "instruction", "Added instruction"

    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey(RecoveryPlan, on_delete=models.CASCADE, related_name="adjustments")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)
    text = models.TextField(blank=True)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    made_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["made_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on plan {self.plan_id}"
