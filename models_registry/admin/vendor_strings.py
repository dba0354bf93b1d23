"""django-import-export ships no Vietnamese catalogue: its interface strings are listed here so that
makemessages puts them in ours (LOCALE_PATHS wins over an app's catalogue), and the import and export pages
speak Vietnamese like the rest of the admin. The msgids must stay exactly as import-export writes them.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

IMPORT_EXPORT_STRINGS = [
    gettext_noop("Import"),
    gettext_noop("Export"),
    gettext_noop("Import finished: {} new, {} updated, {} deleted and {} skipped {}."),
    gettext_noop("%(exc_name)s encountered while trying to read file. Ensure you have chosen the correct format "
                 "for the file."),
    gettext_noop("No valid data to import. Ensure your file has the correct headers or data for import."),
    gettext_noop("Export selected %(verbose_name_plural)s"),
    gettext_noop("Resource"),
    gettext_noop("Format"),
    gettext_noop("File to import"),
    gettext_noop("Select at least 1 field for \"%(resource_name)s\" to export"),
    gettext_noop("This exporter will export the following fields: "),
    gettext_noop("Select all"),
    gettext_noop("Submit"),
    gettext_noop("Below is a preview of data to be imported. If you are satisfied with the results, click "
                 "'Confirm import'"),
    gettext_noop("Confirm import"),
    gettext_noop("Errors"),
    gettext_noop("Line number"),
    gettext_noop("Some rows failed to validate"),
    gettext_noop("Please correct these errors in your data where possible, then reupload it using the form above."),
    gettext_noop("Row"),
    gettext_noop("Non field specific"),
    gettext_noop("Preview"),
    gettext_noop("New"),
    gettext_noop("Skipped"),
    gettext_noop("Update"),
    gettext_noop("This importer will import the following fields: "),
    gettext_noop("Value could not be parsed."),
    gettext_noop("The following fields are declared in 'import_id_fields' but are not present in the file headers: "
                 "%s"),
    ngettext_lazy("Export %(len)s selected item.", "Export %(len)s selected items.", 1),
]

# Django 5.2 admin strings that its own Vietnamese catalogue does not translate yet.
DJANGO_ADMIN_STRINGS = [
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
    # The plural form is missing from Django's catalogue, so a form with two errors said it in English.
    ngettext_lazy("Please correct the error below.", "Please correct the errors below.", 1),
    # Every admin page: the skip link, the theme button, the side menu and its filter box, the breadcrumbs.
    gettext_noop("Skip to main content"),
    gettext_noop("Toggle theme (current theme: auto)"),
    gettext_noop("Toggle theme (current theme: light)"),
    gettext_noop("Toggle theme (current theme: dark)"),
    gettext_noop("Toggle navigation"),
    gettext_noop("Sidebar"),
    gettext_noop("Filter navigation items"),
    gettext_noop("Breadcrumbs"),
    # Lists and forms.
    gettext_noop("Select all objects on this page for an action"),
    gettext_noop("Select this object for an action - {}"),
    gettext_noop("Show counts"),
    gettext_noop("Hide counts"),
    gettext_noop("View selected %(model)s"),
    gettext_noop("Error:"),
    gettext_noop("Added:"),
    gettext_noop("Changed:"),
    gettext_noop("Deleted:"),
    gettext_noop("entry"),
    gettext_noop("Forgotten your login credentials?"),
    gettext_noop("In case you’ve forgotten, you are:"),
    # The password pages of an account.
    gettext_noop("Set password"),
    gettext_noop("Set password: %s"),
    gettext_noop("Reset password"),
    gettext_noop("Enable password-based authentication"),
    gettext_noop("Disable password-based authentication"),
    gettext_noop("This action will <strong>enable</strong> password-based authentication for this user."),
    gettext_noop("Password-based authentication"),
    gettext_noop("Password-based authentication was disabled."),
    gettext_noop("Whether the user will be able to authenticate using a password or not. If disabled, they may "
                 "still be able to authenticate using other backends, such as Single Sign-On or LDAP."),
    gettext_noop("Enable password-based authentication for this user by setting a password."),
    gettext_noop("Raw passwords are not stored, so there is no way to see the user’s password."),
    gettext_noop("Enabled"),
    gettext_noop("Disabled"),
    gettext_noop("Conflicting form data submitted. Please try again."),
    ngettext_lazy("This password is too short. It must contain at least %d character.",
                  "This password is too short. It must contain at least %d characters.", 1),
    gettext_noop("Enter a valid username. This value may contain only unaccented lowercase a-z and uppercase A-Z "
                 "letters, numbers, and @/./+/-/_ characters."),
    # Form and model validation that a user can run into.
    gettext_noop("Constraint “%(name)s” is violated."),
    gettext_noop("Enter a complete value."),
    gettext_noop("Null characters are not allowed."),
    gettext_noop("“%(pk)s” is not a valid value."),
    gettext_noop("The inline value did not match the parent instance."),
    ngettext_lazy("Please submit at most %(num)d form.", "Please submit at most %(num)d forms.", 1),
    ngettext_lazy("Please submit at least %(num)d form.", "Please submit at least %(num)d forms.", 1),
    gettext_noop("That page number is not an integer"),
    gettext_noop("That page number is less than 1"),
    gettext_noop("That page contains no results"),
    gettext_noop("%(truncated_text)s…"),
    ngettext_lazy("%(num)d year", "%(num)d years", 1),
    ngettext_lazy("%(num)d month", "%(num)d months", 1),
    ngettext_lazy("%(num)d week", "%(num)d weeks", 1),
    ngettext_lazy("%(num)d day", "%(num)d days", 1),
    ngettext_lazy("%(num)d hour", "%(num)d hours", 1),
    ngettext_lazy("%(num)d minute", "%(num)d minutes", 1),
    # The page shown when a form is sent after its session expired (CSRF failure), also outside debug mode.
    gettext_noop("Forbidden"),
    gettext_noop("CSRF verification failed. Request aborted."),
    gettext_noop("You are seeing this message because this site requires a CSRF cookie when submitting forms. This "
                 "cookie is required for security reasons, to ensure that your browser is not being hijacked by "
                 "third parties."),
    gettext_noop("If you have configured your browser to disable cookies, please re-enable them, at least for this "
                 "site, or for “same-origin” requests."),
    gettext_noop("More information is available with DEBUG=True."),
]

# Django strings whose Vietnamese in Django's own catalogue reads badly to our users ("Đi đến" for the
# action button, "Bởi lĩnh vực" for a filter, "Nhập một số tổng thể" for a whole number, a space before the
# full stop of the limits): ours wins because LOCALE_PATHS comes first.
DJANGO_REWORDED_STRINGS = [
    gettext_noop("Go"),
    gettext_noop("Add"),
    gettext_noop(" By %(filter_title)s "),
    gettext_noop("Add %(name)s"),
    gettext_noop("Enter a whole number."),
    gettext_noop("Enter a number."),
    gettext_noop("Enter a valid date."),
    gettext_noop("Enter a valid email address."),
    gettext_noop("Ensure this value is greater than or equal to %(limit_value)s."),
    gettext_noop("Ensure this value is less than or equal to %(limit_value)s."),
    # "Xóa các Các nhóm đã chọn": Django's "groups" is capitalised and carries its own "các".
    gettext_noop("group"),
    gettext_noop("groups"),
    gettext_noop("user"),
    gettext_noop("users"),
    gettext_noop("permission"),
    gettext_noop("permissions"),
    # "Email" and "địa chỉ email" where the rest of the portal says "thư điện tử".
    gettext_noop("Email"),
    gettext_noop("email address"),
    # English words inside Django's Vietnamese ("superuser", "admin", "Click", "Các mô models").
    gettext_noop("superuser status"),
    gettext_noop("Designates that this user has all permissions without explicitly assigning them."),
    gettext_noop("staff status"),
    gettext_noop("Designates whether the user can log into this admin site."),
    gettext_noop("active"),
    gettext_noop("Designates whether this user should be treated as active. Unselect this instead of deleting "
                 "accounts."),
    gettext_noop("Models in the %(name)s application"),
    gettext_noop("Click here to select the objects across all pages"),
    gettext_noop("Sorting priority: %(priority_number)s"),
    gettext_noop("This object doesn’t have a change history. It probably wasn’t added via this admin site."),
    gettext_noop("Run the selected action"),
    gettext_noop("History"),
    gettext_noop("Add another %(verbose_name)s"),
    gettext_noop("Django site admin"),
]

# models.py marks "old" inside an f-string (AdministrativeUnit.__str__), where makemessages cannot see it.
MODEL_STRINGS = [
    gettext_noop("old"),
    # Names of the permissions roles.py creates (stored in English like Django's own; shown translated).
    gettext_noop("Can import organisations"),
    gettext_noop("Can export organisations"),
    gettext_noop("Can export yearly results"),
    # resources.py marks its column headers with `_lazy`, a name makemessages does not look for: without these
    # the exported files had English headers ("Field code", "Initiative code"…).
    gettext_noop("Number"),
    gettext_noop("Administrative unit code"),
    gettext_noop("Administrative unit"),
    gettext_noop("Registering organisation number"),
    gettext_noop("Registering organisation"),
    gettext_noop("Field code"),
    gettext_noop("Code of the replicated model"),
    gettext_noop("Initiative code"),
    gettext_noop("Initiative"),
]

# django-filter's suffix for a descending sort in the public catalogue's "sort by" list.
DJANGO_FILTER_STRINGS = [
    gettext_noop("%s (descending)"),
]
