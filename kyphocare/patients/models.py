"""Patient records and portal invitations. Every row belongs to one clinic."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst

phone_validator = RegexValidator(
    r"^\+?[0-9 ()\-.]{7,20}$",
    "Enter a phone number of 7 to 20 digits; spaces, +, -, ( ) and dots are allowed.",
)


def validate_birth_date(value: datetime.date) -> None:
    today = timezone.localdate()
    if value > today:
        raise ValidationError("The date of birth cannot be in the future.")
    if value < datetime.date(1900, 1, 1):
        raise ValidationError("The date of birth must be on or after 1900-01-01.")


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other"
    UNKNOWN = "unknown", "Not recorded"


class Language(models.TextChoices):
    ENGLISH = "en", "English"
    SPANISH = "es", "Español"


class Patient(models.Model):
    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.PROTECT, related_name="+")
    given_name = models.CharField("given name", max_length=100)
    family_name = models.CharField("family name", max_length=100)
    date_of_birth = models.DateField("date of birth", validators=[validate_birth_date])
    sex = models.CharField(max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    mrn = models.CharField(
        "MRN",
        max_length=32,
        validators=[
            RegexValidator(r"^[A-Za-z0-9\-]{1,32}$", "Use 1 to 32 letters, digits or hyphens.")
        ],
        help_text="Medical record number, unique in this clinic.",
    )
    phone = models.CharField(max_length=25, blank=True, validators=[phone_validator])
    email = models.EmailField("e-mail", blank=True)
    caregiver_name = models.CharField("caregiver name", max_length=150, blank=True)
    caregiver_contact = models.CharField("caregiver phone or e-mail", max_length=150, blank=True)
    preferred_language = models.CharField(
        "preferred language", max_length=5, choices=Language.choices, default=Language.ENGLISH
    )
    # Risk factors
    osteoporosis = models.BooleanField("osteoporosis or osteopenia", default=False)
    previous_vcf = models.BooleanField("previous vertebral compression fracture", default=False)
    corticosteroids = models.BooleanField("long-term corticosteroids", default=False)
    anticoagulants = models.BooleanField("takes anticoagulants", default=False)
    cancer_history = models.BooleanField("history of cancer", default=False)
    asa_class = models.PositiveSmallIntegerField(
        "ASA class",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="ASA physical status 1 to 5; leave empty if not yet assessed.",
    )
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="patient_record",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    RISK_FACTORS = (
        "osteoporosis",
        "previous_vcf",
        "corticosteroids",
        "anticoagulants",
        "cancer_history",
    )

    class Meta:
        ordering = ["family_name", "given_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "mrn"], name="unique_mrn_per_clinic")
        ]
        indexes = [models.Index(fields=["clinic", "family_name", "given_name"])]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def age_on(self, day: datetime.date) -> int:
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    def risk_factor_labels(self) -> list[str]:
        labels = [
            capfirst(str(self._meta.get_field(name).verbose_name))
            for name in self.RISK_FACTORS
            if getattr(self, name)
        ]
        if self.asa_class:
            labels.append(f"ASA {self.asa_class}")
        return labels


class PortalInvitation(models.Model):
    """A one-time link that lets a patient set their own password.

    Only a hash of the token is stored; the link itself exists only in the e-mail.
    """

    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation {self.pk} for patient {self.patient_id}"

    def is_usable(self, now: datetime.datetime) -> bool:
        return self.accepted_at is None and self.revoked_at is None and now < self.expires_at
