/* Cổng Dân vận khéo: small progressive enhancements; every page also works without JavaScript. */
(function () {
  "use strict";

  // A form marked data-submit-once sends one request however many times its button is clicked.
  document.querySelectorAll("form[data-submit-once]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var submitter = event.submitter;
      if (form.dataset.sending === "1") { event.preventDefault(); return; }
      // A question on the button pressed (e.g. "save and submit") or on the whole form.
      var question = (submitter && submitter.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
      if (question && !window.confirm(question)) { event.preventDefault(); return; }
      form.dataset.sending = "1";
      if (submitter && submitter.name) {
        var keep = document.createElement("input");
        keep.type = "hidden"; keep.name = submitter.name; keep.value = submitter.value;
        form.appendChild(keep);
      }
      form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (button) {
        button.disabled = true;
        button.setAttribute("aria-busy", "true");
      });
    });
  });

  // Coming back with the browser's Back button shows the page as it was left: buttons usable again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) { return; }
    document.querySelectorAll("form[data-submit-once]").forEach(function (form) {
      delete form.dataset.sending;
      form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (button) {
        button.disabled = false;
        button.removeAttribute("aria-busy");
      });
    });
  });

  // A form sent back with mistakes opens on the list of them, so they are not missed on a long page.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.scrollIntoView({ block: "start" });
    summary.focus({ preventScroll: true });
  }

  // Amounts in đồng are typed as plain digits; show them grouped as 1.500.000 ₫ under the box.
  document.querySelectorAll("input[data-money]").forEach(function (input) {
    var out = document.createElement("p");
    out.className = "help money-preview";
    out.setAttribute("aria-live", "polite");
    input.insertAdjacentElement("afterend", out);
    function update() {
      var value = parseInt(input.value, 10);
      out.textContent = isNaN(value) || value <= 0 ? "" : "= " + String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ".") + " ₫";
    }
    input.addEventListener("input", update);
    update();
  });

  // The yearly results form: choosing a year already reported fills in its figures, another year clears them.
  document.querySelectorAll("form[data-reported-results]").forEach(function (form) {
    var data = document.getElementById(form.getAttribute("data-reported-results"));
    var year = form.querySelector("select[name=year]");
    if (!data || !year) { return; }
    var reported = JSON.parse(data.textContent);
    var blank = { is_running: "True", participants: "0", beneficiaries: "0", value_mobilised: "0",
                  land_donated_m2: "0", workdays: "0", narrative: "" };
    year.addEventListener("change", function () {
      var values = reported[year.value] || blank;
      Object.keys(blank).forEach(function (name) {
        var value = values[name] !== undefined ? values[name] : blank[name];
        form.querySelectorAll("[name=" + name + "]").forEach(function (input) {
          if (input.type === "radio") { input.checked = input.value === value; } else { input.value = value; }
          input.dispatchEvent(new Event("input"));
        });
      });
    });
  });

  // The catalogue's extra filters are folded away on a phone and open beside the results on a wide screen.
  if (window.matchMedia("(min-width: 980px)").matches) {
    document.querySelectorAll("details[data-open-wide]").forEach(function (details) { details.open = true; });
  }

  // The catalogue's commune list narrows as soon as a province is chosen (without JavaScript, once the form
  // is sent). The units come, in alphabetical order, from the address in data-units-url.
  document.querySelectorAll("select[data-units-url]").forEach(function (province) {
    var units = document.getElementById(province.getAttribute("data-units-target"));
    if (!units) { return; }
    var latest = 0;
    province.addEventListener("change", function () {
      var request = ++latest;
      var chosen = units.value;
      function fill(list) {
        if (request !== latest) { return; }  // a later choice has been made meanwhile
        while (units.options.length > 1) { units.remove(1); }  // keep "all units"
        list.forEach(function (unit) { units.add(new Option(unit.name, unit.id)); });
        units.value = list.some(function (unit) { return String(unit.id) === chosen; }) ? chosen : "";
      }
      if (!province.value) { fill([]); return; }
      units.setAttribute("aria-busy", "true");
      fetch(province.getAttribute("data-units-url") + "?province=" + encodeURIComponent(province.value), {
        headers: { "Accept": "application/json" }, credentials: "same-origin"
      }).then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      }).then(function (data) { fill(data.units); })
        .catch(function () { /* the list is narrowed when the form is sent */ })
        .then(function () { units.removeAttribute("aria-busy"); });
    });
  });

  // Parts of the registration form shown only for one choice (the exemplar's person, the replicated model).
  document.querySelectorAll("[data-show-when]").forEach(function (block) {
    var rule = block.getAttribute("data-show-when").split("=");
    var radios = document.querySelectorAll("input[type=radio][name='" + rule[0] + "']");
    function update() {
      var checked = document.querySelector("input[type=radio][name='" + rule[0] + "']:checked");
      block.hidden = !(checked && checked.value === rule[1]);
    }
    radios.forEach(function (radio) { radio.addEventListener("change", update); });
    update();
  });

  // Search the public catalogue for the model being replicated and offer the matches in the select.
  document.querySelectorAll("input[data-source-search]").forEach(function (input) {
    var select = document.getElementById(input.getAttribute("data-target"));
    if (!select) { return; }
    var timer = null;
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var q = input.value.trim();
        if (q.length < 2) { return; }
        fetch(input.getAttribute("data-source-search") + "?q=" + encodeURIComponent(q), {
          headers: { "Accept": "application/json" }, credentials: "same-origin"
        }).then(function (response) { return response.json(); }).then(function (data) {
          var chosen = select.value;
          Array.prototype.slice.call(select.options).forEach(function (option) {
            if (option.value && option.value !== chosen) { option.remove(); }
          });
          data.results.forEach(function (item) {
            if (String(item.id) === chosen) { return; }
            var option = document.createElement("option");
            option.value = item.id;
            option.textContent = item.label + " — " + item.organization;
            select.appendChild(option);
          });
          if (!chosen && data.results.length) { select.value = String(data.results[0].id); }
        });
      }, 250);
    });
  });

  // A button marked data-print prints the page (no inline handler: the Content Security Policy forbids them).
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
