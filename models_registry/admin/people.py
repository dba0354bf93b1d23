"""Staff accounts in the admin, scoped: a provincial board manages the accounts of its province only.

The auth User admin is re-registered: its rows are the users whose staff profile is in scope, its forms
carry the role and the place (unit, organisation) and check them through models_registry.people, and no
page shows a password hash (passwords are set or changed on the separate password form).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, AdminUserCreationForm, UsernameField
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .. import people, roles, two_factor
from ..formatting import person_name
from ..models import AdministrativeUnit, Organization, StaffProfile
from ..scope import users_visible_to
from ..scoped_admin import ScopedAdminMixin, unit_filter
from .vietnamese import LinkRowsHiddenOnDeleteMixin

User = get_user_model()


def staff_field_widget(name: str):
    return AutocompleteSelect(StaffProfile._meta.get_field(name), admin.site)


class StaffFieldsMixin(forms.Form):
    """The role and the place of an account, limited to what the acting user may give."""

    role = forms.ChoiceField(label=capfirst(_("role")), required=False)
    unit = forms.ModelChoiceField(label=capfirst(_("administrative unit")), queryset=AdministrativeUnit.objects.none(),
                                  required=False, widget=staff_field_widget("unit"))
    organization = forms.ModelChoiceField(label=capfirst(_("organisation")), queryset=Organization.unscoped.none(),
                                          required=False, widget=staff_field_widget("organization"),
                                          help_text=_("Required for unit staff: the body they register for. "
                                                      "The list offers the organisations of the unit chosen "
                                                      "above."))
    position = forms.CharField(label=capfirst(_("position")), max_length=200, required=False)
    phone = forms.CharField(label=capfirst(_("phone")), max_length=30, required=False)

    acting_user = None  # set per request by the admin

    class Media:
        js = ["js/account-form.js"]

    def setup_staff_fields(self):
        user = self.acting_user
        self.fields["role"].choices = [("", "---------")] + [
            (role, capfirst(roles.ROLE_LABELS[role])) for role in people.assignable_roles(user)
        ]
        # Vietnamese names are written family name first: ask for them in that order, in those words.
        if "last_name" in self.fields:
            self.fields["last_name"].label = capfirst(_("family and middle name"))
            self.fields["last_name"].help_text = _("For example: Nguyễn Thị")
        if "first_name" in self.fields:
            self.fields["first_name"].label = capfirst(_("given name"))
            self.fields["first_name"].help_text = _("For example: Lan")
        self.fields["unit"].queryset = AdministrativeUnit.objects.visible_to(user)
        self.fields["organization"].queryset = Organization.objects.visible_to(user)
        if not user.is_superuser:
            self.fields["role"].required = True
            self.fields["unit"].required = True
        target = self.instance
        if target.pk:
            self.initial.setdefault("role", people.role_of(target) or "")
            profile = StaffProfile.objects.filter(user=target).first()
            if profile is not None:
                self.initial.update({"unit": profile.unit_id, "organization": profile.organization_id,
                                     "position": profile.position, "phone": profile.phone})

    def clean(self):
        cleaned = super().clean()
        if any(name in self.errors for name in ("role", "unit", "organization")):
            return cleaned
        if self.acting_user.is_superuser and not cleaned.get("role") and not cleaned.get("unit"):
            return cleaned
        try:
            people.validate_staff_assignment(
                acting_user=self.acting_user, role=cleaned.get("role") or None, unit=cleaned.get("unit"),
                organization=cleaned.get("organization"),
            )
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned


class StaffUserCreationForm(StaffFieldsMixin, AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        fields = ("username", "last_name", "first_name", "email")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_staff_fields()


class StaffUserChangeForm(StaffFieldsMixin, forms.ModelForm):
    """Like Django's user change form, without the password (not even its hash summary)."""

    class Meta:
        model = User
        fields = ("username", "last_name", "first_name", "email", "is_active", "is_staff", "is_superuser")
        field_classes = {"username": UsernameField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_staff_fields()


class StaffPasswordChangeForm(AdminPasswordChangeForm):
    """Set a new password; the switch that disables password log-in (for single sign-on) is not offered."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("usable_password", None)


class RoleFilter(admin.SimpleListFilter):
    title = _("role")
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return [(name, capfirst(label)) for name, label in roles.ROLE_LABELS.items()]

    def queryset(self, request, queryset):
        if self.value() in roles.ROLE_LABELS:
            return queryset.filter(groups__name=self.value())
        return queryset


if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(LinkRowsHiddenOnDeleteMixin, ScopedAdminMixin, UserAdmin):
    form = StaffUserChangeForm
    add_form = StaffUserCreationForm
    change_password_form = StaffPasswordChangeForm
    list_display = ("username", "full_name", "email", "role", "unit", "is_active", "last_login")
    list_filter = (RoleFilter, "is_active", unit_filter("staff_profile__unit"))
    search_fields = ("username", "first_name", "last_name", "email")
    readonly_fields = ("password_link", "last_login", "date_joined")
    filter_horizontal = ()
    place_fields = ("role", "unit", "organization", "position", "phone")
    actions = ["reset_two_factor"]
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "password1", "password2")}),
        (_("Personal info"), {"fields": ("last_name", "first_name", "email")}),
        (_("Role and area"), {"fields": place_fields}),
    )

    def scope_queryset(self, queryset, request):
        return users_visible_to(request.user, queryset).select_related(
            "staff_profile__unit", "staff_profile__organization"
        ).prefetch_related("groups")

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        status = ("is_active", "is_staff", "is_superuser") if request.user.is_superuser else ("is_active",)
        return (
            (None, {"fields": ("username", "password_link")}),
            (_("Personal info"), {"fields": ("last_name", "first_name", "email")}),
            (_("Role and area"), {"fields": self.place_fields}),
            (_("Status"), {"fields": status}),
            (_("Important dates"), {"fields": ("last_login", "date_joined")}),
        )

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"acting_user": request.user})

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or people.can_manage_user(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or people.can_manage_user(request.user, obj))

    def delete_model(self, request, obj):
        people.user_delete(acting_user=request.user, user=obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # one at a time, through the service
        return actions

    @admin.action(description=_("Reset two-step sign-in (lost phone)"), permissions=["change"])
    def reset_two_factor(self, request, queryset):
        done = 0
        for user in queryset:
            if people.can_manage_user(request.user, user):
                two_factor.turn_off(user)
                done += 1
        self.message_user(request, _("Two-step sign-in was reset for %(count)s accounts; they set it up again "
                                     "at their next log-in if their role requires it.") % {"count": done})

    def save_model(self, request, obj, form, change):
        people.user_save(acting_user=request.user, user=obj, created=not change)
        data = form.cleaned_data
        if request.user.is_superuser and not data.get("role") and not data.get("unit"):
            return
        people.staff_user_assign(
            acting_user=request.user, user=obj, role=data.get("role") or None, unit=data.get("unit"),
            organization=data.get("organization"), position=data.get("position", ""),
            phone=data.get("phone", ""), created=not change,
        )

    @admin.display(description=_("password"))
    def password_link(self, obj):
        if obj is None or not obj.pk:
            return "—"
        url = reverse("admin:auth_user_password_change", args=[obj.pk])
        return format_html('<a class="button" href="{}">{}</a>', url, _("Set a new password"))

    @admin.display(description=_("full name"))
    def full_name(self, obj):
        return person_name(obj) if (obj.last_name or obj.first_name) else ""

    @admin.display(description=_("role"))
    def role(self, obj):
        names = [group.name for group in obj.groups.all() if group.name in roles.ROLE_LABELS]
        return ", ".join(capfirst(str(roles.ROLE_LABELS[name])) for name in names)

    @admin.display(description=_("administrative unit"))
    def unit(self, obj):
        profile = getattr(obj, "staff_profile", None)
        return profile.unit if profile else "—"


class StaffProfileForm(forms.ModelForm):
    acting_user = None
    Media = StaffFieldsMixin.Media

    class Meta:
        model = StaffProfile
        fields = ("user", "unit", "organization", "position", "phone")

    def clean(self):
        cleaned = super().clean()
        user = cleaned.get("user")
        if user is None or "unit" in self.errors or "organization" in self.errors:
            return cleaned
        try:
            people.validate_staff_assignment(
                acting_user=self.acting_user, role=people.role_of(user), unit=cleaned.get("unit"),
                organization=cleaned.get("organization"),
            )
        except ValidationError as error:
            self.add_error(None, error)
        if not people.can_manage_user(self.acting_user, user):
            self.add_error("user", _("You cannot manage this account."))
        return cleaned


@admin.register(StaffProfile)
class StaffProfileAdmin(ScopedAdminMixin, admin.ModelAdmin):
    form = StaffProfileForm
    list_display = ("user", "unit", "organization", "position", "phone")
    list_select_related = ("user", "unit", "organization")
    list_filter = (unit_filter("unit"),)
    search_fields = ("user__username", "user__first_name", "user__last_name", "position")
    autocomplete_fields = ("user", "unit", "organization")

    def scope_queryset(self, queryset, request):
        return queryset.filter(user__in=users_visible_to(request.user).values("pk"))

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"acting_user": request.user})

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or people.can_manage_user(request.user, obj.user))

    def save_model(self, request, obj, form, change):
        people.staff_user_assign(
            acting_user=request.user, user=obj.user, role=people.role_of(obj.user), unit=obj.unit,
            organization=obj.organization, position=obj.position, phone=obj.phone,
        )

    def has_delete_permission(self, request, obj=None):
        return False  # an account's place is changed, or the account deactivated
