"""Admin pages of staff accounts: an administrator may delete a user's second factor so that
they enrol again (a lost phone), but never read or edit one; API tokens are listed and revoked
(a token is created only by the command, which shows it once)."""

from django.contrib import admin

from baesang.staff.models import ApiToken, LoginThrottle, SecondFactor
from baesang.staff.signin import second_factor_reset
from baesang.staff.tokens import api_token_revoke


@admin.register(SecondFactor)
class SecondFactorAdmin(admin.ModelAdmin):
    list_display = ("user", "created_at", "confirmed_at")
    fields = ("user", "created_at", "confirmed_at")
    readonly_fields = fields
    search_fields = ("user__username",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        second_factor_reset(user=obj.user, actor=request.user)

    def delete_queryset(self, request, queryset):
        for factor in queryset.select_related("user"):
            second_factor_reset(user=factor.user, actor=request.user)


@admin.register(LoginThrottle)
class LoginThrottleAdmin(admin.ModelAdmin):
    list_display = ("scope", "failures", "locked_until")
    fields = ("scope", "failures", "window_started_at", "locked_until")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "name", "user", "created_at", "last_used_at", "revoked_at")
    fields = ("prefix", "name", "user", "created_at", "last_used_at", "revoked_at")
    readonly_fields = fields
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset):
        for token in queryset.filter(revoked_at__isnull=True):
            api_token_revoke(token=token, actor=request.user)
