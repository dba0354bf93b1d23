// Accessible names for the admin's autocomplete pickers (select2). Their combobox is labelled only by the text
// of the current choice, which is empty until something is picked, so a screen reader announced a nameless
// field. Each picker is labelled by its field's label and its current choice.
(function () {
  "use strict";

  function nameAutocompletes(root) {
    root.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var label = select.id && document.querySelector('label[for="' + select.id + '"]');
      var picker = select.nextElementSibling;
      if (!label || !picker || !picker.classList.contains("select2")) {
        return;
      }
      if (!label.id) {
        label.id = select.id + "-label";
      }
      var name = label.textContent.replace(/:\s*$/, "").trim();
      picker.querySelectorAll('[role="combobox"]').forEach(function (box) {
        var choice = box.getAttribute("aria-labelledby");
        box.setAttribute("aria-labelledby", choice ? label.id + " " + choice : label.id);
      });
      picker.querySelectorAll('[role="textbox"]').forEach(function (text) {
        text.setAttribute("aria-label", name);
      });
    });
  }

  function run() {
    nameAutocompletes(document);
  }

  // After Django's own ready handler (autocomplete.js), which builds the pickers.
  if (window.django && window.django.jQuery) {
    window.django.jQuery(run);
  } else {
    document.addEventListener("DOMContentLoaded", run);
  }
  document.addEventListener("formset:added", function (event) {
    window.setTimeout(function () { nameAutocompletes(event.target); }, 0);
  });
})();
