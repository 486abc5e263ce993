// The review page, enhanced: the chosen score's meaning, the weighted total and the number of
// criteria scored follow each click. Without this file the server shows them after "Save review".
(function () {
  "use strict";
  var form = document.getElementById("review-form");
  if (!form) { return; }
  var total = document.getElementById("review-total");
  var completeness = document.getElementById("review-completeness");
  var groups = form.querySelectorAll("fieldset.criterion");
  var number = new Intl.NumberFormat(document.documentElement.lang || undefined, { maximumFractionDigits: 2 });

  function chosen(group) {
    return group.querySelector("input[type=radio]:checked");
  }

  function showMeaning(group) {
    var out = group.querySelector(".chosen-meaning");
    var radio = chosen(group);
    if (!out) { return; }
    if (!radio) { out.textContent = out.getAttribute("data-none"); return; }
    var meaning = radio.getAttribute("data-meaning");
    out.textContent = out.getAttribute("data-template")
      .replace("%(score)s", meaning ? radio.value + " – " + meaning : radio.value);
  }

  function update() {
    var points = 0, scored = 0;
    groups.forEach(function (group) {
      var radio = chosen(group);
      if (!radio) { return; }
      scored += 1;
      points += parseInt(group.getAttribute("data-weight"), 10) * (parseInt(radio.value, 10) - 1);
    });
    if (total) {
      total.textContent = total.getAttribute("data-template").replace("%(points)s", number.format(points / 4));
    }
    if (completeness) {
      completeness.textContent = completeness.getAttribute("data-template").replace("%(scored)s", scored);
    }
  }

  groups.forEach(function (group) {
    group.addEventListener("change", function () { showMeaning(group); update(); });
  });
})();
