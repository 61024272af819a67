"""Read-only admin views of donations: changes go through the services and the CSV import."""

from django.contrib import admin

from baesang.donations.models import Donation, DonationReceipt, Donor, Pledge


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Donor)
class DonorAdmin(_ReadOnly):
    list_display = ("name", "kind", "country", "brn", "may_be_named_publicly")
    list_filter = ("kind", "country", "may_be_named_publicly")
    search_fields = ("name", "brn")


@admin.register(Pledge)
class PledgeAdmin(_ReadOnly):
    list_display = ("donor", "amount", "pledged_on", "expected_on", "restricted", "withdrawn_on")


@admin.register(Donation)
class DonationAdmin(_ReadOnly):
    list_display = ("bank_reference", "donor", "value_date", "currency", "original_amount", "rate", "amount_won",
                    "restricted")
    list_filter = ("currency", "restricted")
    search_fields = ("bank_reference",)


@admin.register(DonationReceipt)
class DonationReceiptAdmin(_ReadOnly):
    list_display = ("number", "donor", "amount_won", "issued_on")
    search_fields = ("number",)
