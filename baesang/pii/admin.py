"""The personal-data access log in Django's admin: read-only, like the audit log."""

from django.contrib import admin

from baesang.pii.models import PersonalDataAccess


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(admin.ModelAdmin):
    list_display = ("at", "user_label", "entity_type", "entity_id", "field", "kind", "channel")
    list_filter = ("kind", "channel", "entity_type")
    search_fields = ("entity_id", "user_label", "field")
    date_hierarchy = "at"

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
