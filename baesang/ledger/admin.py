"""Read-only admin views of the ledger: money moves only through the services."""

from django.contrib import admin

from baesang.ledger.models import Account, Transfer


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Account)
class AccountAdmin(_ReadOnly):
    list_display = ("code", "name", "type", "purpose", "restricted", "limit", "debits_posted", "credits_posted",
                    "debits_pending", "credits_pending")
    list_filter = ("type", "purpose", "restricted")
    search_fields = ("code", "name", "debtor")


@admin.register(Transfer)
class TransferAdmin(_ReadOnly):
    list_display = ("seq", "id", "kind", "debit_account", "credit_account", "amount", "value_date", "journal")
    list_filter = ("kind",)
    search_fields = ("id", "journal", "description")
    list_select_related = ("debit_account", "credit_account")
