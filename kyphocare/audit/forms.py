from django import forms

from .models import AuditAction


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("", "Any action")] + list(AuditAction.choices), required=False
    )
    actor = forms.EmailField(label="Person (e-mail)", required=False)
    patient = forms.IntegerField(label="Patient number", required=False, min_value=1)
    date_from = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "'To' must be on or after 'From'.")
        return data
