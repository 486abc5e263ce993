// A call's own questions asked only after an answer (fund/templates/_macros/questions.html):
// on the proposal, concept-note and report forms each such question shows only while its
// condition is met. While hidden, its inputs are disabled, so neither a save nor an autosave
// sends what was typed there: the server refuses an answer to a hidden question, and an
// applicant who changes "yes" to "no" must not meet that refusal. What was typed stays in the
// page and comes back if the answer changes again. Without this file every such question shows
// with "Answer only if ...", and the server says which answers do not apply.
(function () {
  "use strict";

  function conditionMet(form, box) {
    var wanted = box.getAttribute("data-condition-values").split(" ");
    var name = box.getAttribute("data-condition-question");
    var inputs = form.querySelectorAll("[name='" + name + "']");
    return Array.prototype.some.call(inputs, function (input) {
      var source = input.closest(".custom-question");
      var chosen = input.type === "radio" || input.type === "checkbox" ? input.checked : true;
      return chosen && wanted.indexOf(input.value) !== -1 && !(source && source.hidden);
    });
  }

  function setHidden(box, hidden) {
    box.hidden = hidden;
    box.querySelectorAll("input, textarea, select, button").forEach(function (control) {
      if (hidden && !control.disabled) {
        control.disabled = true;
        control.setAttribute("data-condition-disabled", "");
      } else if (!hidden && control.hasAttribute("data-condition-disabled")) {
        control.disabled = false;
        control.removeAttribute("data-condition-disabled");
      }
    });
  }

  document.querySelectorAll("form").forEach(function (form) {
    var boxes = form.querySelectorAll("[data-condition-question]");
    if (!boxes.length) { return; }
    // Conditions name earlier questions only, so one pass in page order settles a chain.
    function update() {
      boxes.forEach(function (box) { setHidden(box, !conditionMet(form, box)); });
    }
    form.addEventListener("change", update);
    update();
  });
})();
