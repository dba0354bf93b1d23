// The account form's organisation picker offers only the organisations of the unit chosen beside it: every
// search it sends carries that unit (the server filters on it and checks it again on saving). Changing the
// unit clears an organisation picked for the previous one.
(function () {
  "use strict";

  function run() {
    var $ = window.django && window.django.jQuery;
    var unit = document.getElementById("id_unit");
    var organization = document.getElementById("id_organization");
    if (!$ || !unit || !organization) {
      return;
    }
    $.ajaxPrefilter(function (options) {
      var data = typeof options.data === "string" ? options.data : "";
      if (data.indexOf("model_name=staffprofile") === -1 || data.indexOf("field_name=organization") === -1) {
        return;
      }
      if (unit.value) {
        options.data = data + "&unit=" + encodeURIComponent(unit.value);
      }
    });
    $(unit).on("change", function () {
      if (organization.value) {
        $(organization).val(null).trigger("change");
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", run);
  } else {
    run();
  }
})();
