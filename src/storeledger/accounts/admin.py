from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.contrib.auth.models import Group, User
from rest_framework.authtoken.models import TokenProxy

from storeledger.accounts import services
from storeledger.accounts.models import ApiToken, Profile, UserScope


class UserScopeInline(admin.StackedInline):
    model = UserScope
    can_delete = False
    filter_horizontal = ["stores", "warehouses"]


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False


admin.site.unregister(User)
admin.site.unregister(Group)
# DRF's plain-text tokens are no longer accepted (API tokens are hashed, named and expire; the
# app stays installed only for the migration that converted its rows): no dead admin page.
admin.site.unregister(TokenProxy)


class PasswordResetForm(AdminPasswordChangeForm):
    """The admin's "change password" page: the new password (or none, when password sign-in
    is disabled) goes through the service, which revokes the user's API tokens too."""

    def save(self, commit=True):
        if not commit:
            return super().save(commit=False)
        usable = self.cleaned_data.get("set_usable_password", True)
        password = self.cleaned_data["password1"] if usable else None
        services.set_password_by_admin(user=self.user, new_password=password)
        return self.user


class SuperuserOnly:
    """Users and groups in the Django admin are for superusers only: its user form edits the
    superuser flag and single permissions, so the admin role's `auth.*_user` permissions
    (which the app's 系统设置 → 用户 page uses, with its own rules) must not open it."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


@admin.register(Group)
class GroupAdmin(SuperuserOnly, DjangoGroupAdmin):
    pass


@admin.register(User)
class UserAdmin(SuperuserOnly, DjangoUserAdmin):
    change_password_form = PasswordResetForm
    inlines = [*DjangoUserAdmin.inlines, UserScopeInline, ProfileInline]
    list_filter = [*DjangoUserAdmin.list_filter, "scope__all_stores"]


@admin.register(UserScope)
class UserScopeAdmin(admin.ModelAdmin):
    list_display = ["user", "all_stores"]
    list_filter = ["all_stores", "stores"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    filter_horizontal = ["stores", "warehouses"]
    list_select_related = ["user"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """API tokens: see who has which, revoke (delete); keys are never shown."""

    list_display = ["name", "user", "prefix", "created_at", "expires_at", "last_used_at"]
    list_filter = ["expires_at"]
    search_fields = ["name", "user__username", "prefix"]
    list_select_related = ["user"]
    readonly_fields = ["user", "name", "prefix", "created_at", "expires_at", "last_used_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
