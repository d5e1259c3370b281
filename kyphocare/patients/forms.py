from django import forms

from .models import Patient


class PatientForm(forms.ModelForm):
    # Only ISO dates: 03/04/1944 means different days on either side of the Atlantic.
    date_of_birth = forms.DateField(
        label="Date of birth",
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Enter the date as YYYY-MM-DD, e.g. 1944-03-21."},
    )
    asa_class = forms.TypedChoiceField(
        label="ASA class",
        choices=[("", "Not assessed")] + [(str(i), f"ASA {i}") for i in range(1, 6)],
        coerce=int,
        empty_value=None,
        required=False,
        help_text="ASA physical status 1 to 5; choose 'Not assessed' if unknown.",
        error_messages={"invalid_choice": "Choose ASA 1 to 5, or 'Not assessed'."},
    )

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
        widgets = {"phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"})}

    def clean_mrn(self) -> str:
        return self.cleaned_data["mrn"].strip().upper()

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class InvitationForm(forms.Form):
    email = forms.EmailField(label="Patient's e-mail address")
