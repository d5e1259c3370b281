from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class EmailBackend(ModelBackend):
    """E-mail login (case-insensitive); demo accounts are refused in production."""

    def user_can_authenticate(self, user) -> bool:
        if getattr(user, "is_demo", False) and settings.PRODUCTION:
            return False
        return super().user_can_authenticate(user)
