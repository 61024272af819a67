"""Staff edit the forecast's pending lawsuits in the admin; every change goes through the
audited services of :mod:`baesang.public.services`."""

from django.contrib import admin

from baesang.public.models import PendingLawsuit
from baesang.public.services import pending_lawsuit_delete, pending_lawsuit_save


@admin.register(PendingLawsuit)
class PendingLawsuitAdmin(admin.ModelAdmin):
    list_display = ("description", "count", "award_per_claim", "expected_final_on", "interest_from", "rate", "active")
    list_filter = ("active",)
    search_fields = ("description",)

    def save_model(self, request, obj, form, change):
        pending_lawsuit_save(actor=request.user, lawsuit=obj)

    def delete_model(self, request, obj):
        pending_lawsuit_delete(actor=request.user, lawsuit=obj)

    def delete_queryset(self, request, queryset):
        for lawsuit in queryset:
            pending_lawsuit_delete(actor=request.user, lawsuit=lawsuit)
