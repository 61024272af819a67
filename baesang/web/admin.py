"""Admin pages of the staff application's sign-in records: an administrator may delete a
user's second factor so that they enrol again (a lost phone), but never read or edit one."""

from django.contrib import admin

from baesang.web.models import LoginThrottle, SecondFactor
from baesang.web.signin import second_factor_reset


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
