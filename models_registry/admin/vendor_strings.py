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
]

# models.py marks "old" inside an f-string (AdministrativeUnit.__str__), where makemessages cannot see it.
MODEL_STRINGS = [
    gettext_noop("old"),
]

# django-filter's suffix for a descending sort in the public catalogue's "sort by" list.
DJANGO_FILTER_STRINGS = [
    gettext_noop("%s (descending)"),
]
