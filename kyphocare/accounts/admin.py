"""Django admin for system administrators: clinics, people and memberships.

Patient records are deliberately not in the admin: every read of them must go through the
audited pages.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Clinic, Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "kind", "is_active", "is_demo"]
    list_filter = ["kind", "is_active", "is_staff", "is_demo"]
    search_fields = ["email", "full_name"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["email", "password", "full_name", "kind"]}),
        ("Status", {"fields": ["is_active", "is_demo", "is_staff", "is_superuser"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["email", "full_name", "password1", "password2"]}),
    ]
    readonly_fields = ["last_login", "date_joined"]
    filter_horizontal = []


@admin.register(Clinic)
class ClinicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "time_zone", "phone", "emergency_number"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]
