// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // Live character counters for fields that declare a limit.
  function updateCounter(field, counter) {
    var limit = parseInt(field.getAttribute("data-limit"), 10);
    var used = field.value.length;
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

  // The language choice applies as soon as it changes.
  var language = document.getElementById("language-choice");
  if (language) {
    language.addEventListener("change", function () { language.form.submit(); });
  }

  // Move focus to the error summary so screen-reader users hear what to fix.
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
})();
