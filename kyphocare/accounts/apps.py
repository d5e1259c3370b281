from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kyphocare.accounts"
    label = "accounts"
    verbose_name = "Accounts and clinics"
