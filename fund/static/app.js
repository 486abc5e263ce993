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

  // Move focus to the error summary so screen-reader users hear what to fix.
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
})();
