from django import forms

from .models import Patient


class PatientForm(forms.ModelForm):
    class Meta:
        model = Patient
        fields = [
            "given_name",
            "family_name",
            "date_of_birth",
            "sex",
            "mrn",
            "phone",
            "email",
            "caregiver_name",
            "caregiver_contact",
            "preferred_language",
            "osteoporosis",
            "previous_vcf",
            "corticosteroids",
            "anticoagulants",
            "cancer_history",
            "asa_class",
        ]
        widgets = {
            "date_of_birth": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "asa_class": forms.Select(
                choices=[("", "Not assessed")] + [(i, f"ASA {i}") for i in range(1, 6)]
            ),
        }
        error_messages = {
            "date_of_birth": {"invalid": "Enter the date as YYYY-MM-DD, e.g. 1944-03-21."},
        }

    def clean_mrn(self) -> str:
        return self.cleaned_data["mrn"].strip().upper()

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class InvitationForm(forms.Form):
    email = forms.EmailField(label="Patient's e-mail address")
