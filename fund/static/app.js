// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // Live character counters for fields that declare a limit.
  function updateCounter(field, counter) {
    var limit = parseInt(field.getAttribute("data-limit"), 10);
    // A long answer may be limited in words (the server counts runs of non-spaces too).
    var used = field.getAttribute("data-limit-unit") === "words"
      ? (field.value.match(/\S+/g) || []).length : field.value.length;
    var left = limit - used;
    counter.textContent = counter.getAttribute("data-template")
      .replace("%(used)s", used).replace("%(limit)s", limit);
    counter.classList.toggle("error", left < 0);
  }

  document.querySelectorAll("[data-counter-for]").forEach(function (counter) {
    var field = document.getElementById(counter.getAttribute("data-counter-for"));
    if (!field || !field.hasAttribute("data-limit")) { return; }
    if (!counter.hasAttribute("data-template")) {
      counter.setAttribute("data-template", document.documentElement.getAttribute("data-counter-text") || "%(used)s / %(limit)s");
    }
    counter.setAttribute("aria-live", "polite");
    field.addEventListener("input", function () { updateCounter(field, counter); });
    updateCounter(field, counter);
  });

  // Tell the server the browser's time zone, so deadlines show in local time for visitors too.
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && document.cookie.indexOf("tz=" + zone) === -1) {
      document.cookie = "tz=" + zone + "; path=/; max-age=31536000; samesite=lax";
    }
  } catch (ignore) { /* an old browser: times stay in UTC, and say so */ }

  // The language selector is left alone on purpose: it changes only with its "Change language"
  // button, since browsers change a select's value on each arrow key while it is closed.

  // The call form's time zone: a short list, and "Other time zone" to type any other one.
  // The second field shows only for "Other", with every zone to search in a list loaded then;
  // a new call starts in the browser's own zone.
  document.querySelectorAll(".zone-choice").forEach(function (box) {
    var select = box.querySelector("select");
    var other = box.querySelector("input[type=text]");
    if (!select || !other) { return; }
    var otherField = other.closest(".field");
    function listed(zone) {
      return Array.prototype.some.call(select.options, function (o) { return o.value === zone; });
    }
    function loadZones() {
      if (other.hasAttribute("list")) { return; }
      var list = document.createElement("datalist");
      list.id = other.id + "-zones";
      box.appendChild(list);
      other.setAttribute("list", list.id);
      fetch(box.getAttribute("data-zones")).then(function (r) { return r.json(); }).then(function (zones) {
        zones.forEach(function (zone) {
          var option = document.createElement("option");
          option.value = zone;
          list.appendChild(option);
        });
      }).catch(function () { /* typing the name still works */ });
    }
    function show() {
      var wanted = select.value === "other";
      otherField.hidden = !wanted;
      if (wanted) { loadZones(); }
    }
    if (box.hasAttribute("data-browser-zone")) {
      try {
        var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
        zone = JSON.parse(box.getAttribute("data-aliases") || "{}")[zone] || zone;
        if (zone && listed(zone)) { select.value = zone; }
        else if (zone) { select.value = "other"; other.value = zone; }
      } catch (ignore) { /* an old browser: the server's choice stays */ }
    }
    if (otherField.classList.contains("has-error")) { select.value = "other"; }
    select.addEventListener("change", function () {
      show();
      if (select.value === "other") { other.focus(); }
    });
    show();
  });

  // Move focus to the error summary so screen-reader users hear what to fix.
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
})();
