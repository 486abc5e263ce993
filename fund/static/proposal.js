// The proposal form, enhanced: budget rows added and removed in the page, the running total,
// and autosave (every minute when something changed, and when the page is hidden or left).
// Without this file every button still works: each one saves the draft on the server.
(function () {
  "use strict";

  var form = document.getElementById("proposal-form");
  if (!form) { return; }

  // --- budget rows and the running total ------------------------------------------------------
  var lines = form.querySelector("[data-budget-lines]");
  var template = document.getElementById("budget-line-template");
  var totalOutput = document.getElementById("budget-total");
  var addButton = form.querySelector("[data-add-line]");
  var maxLines = lines ? parseInt(lines.getAttribute("data-max-lines"), 10) || 40 : 0;
  // the server writes the total the reader's way (Babel, CLDR); the browser's Intl follows the
  // same CLDR data for the page's language, so the figure keeps its look as it changes
  var money = null;
  if (window.Intl && totalOutput) {
    try {
      money = new Intl.NumberFormat(document.documentElement.lang || undefined, {
        style: "currency", currency: totalOutput.getAttribute("data-currency")
      });
    } catch (e) { money = null; }
  }

  function rows() { return lines ? lines.querySelectorAll("[data-budget-line]") : []; }

  function nextIndex() {
    var highest = -1;
    Array.prototype.forEach.call(rows(), function (row) {
      var match = /budget_lines-(\d+)-/.exec(row.innerHTML);
      if (match) { highest = Math.max(highest, parseInt(match[1], 10)); }
    });
    return highest + 1;
  }

  function renumber() {
    Array.prototype.forEach.call(rows(), function (row, i) {
      var number = row.querySelector("[data-line-number]");
      if (number) { number.textContent = String(i + 1); }
    });
    if (addButton) { addButton.disabled = rows().length >= maxLines; }
  }

  function cents(text) {
    var match = /^\s*(\d+)(?:\.(\d{1,2}))?\s*$/.exec(text || "");
    if (!match) { return 0; }
    return parseInt(match[1], 10) * 100 + parseInt(((match[2] || "") + "00").slice(0, 2), 10);
  }

  function updateTotal() {
    if (!totalOutput) { return; }
    var sum = 0;
    form.querySelectorAll("[data-amount]").forEach(function (input) { sum += cents(input.value); });
    if (money) { totalOutput.textContent = money.format(sum / 100); }
  }

  if (lines && template && addButton) {
    addButton.addEventListener("click", function (event) {
      event.preventDefault();
      if (rows().length >= maxLines) { return; }
      var index = String(nextIndex());
      var row = template.content.firstElementChild.cloneNode(true);
      row.querySelectorAll("[name], [id], [for], [value], [aria-describedby]").forEach(function (el) {
        ["name", "id", "for", "value", "aria-describedby"].forEach(function (attr) {
          var value = el.getAttribute(attr);
          if (value && value.indexOf("__index__") !== -1) {
            el.setAttribute(attr, value.split("__index__").join(index));
          }
        });
      });
      lines.appendChild(row);
      renumber();
      markDirty();
      var first = row.querySelector("select, input");
      if (first) { first.focus(); }
    });

    lines.addEventListener("click", function (event) {
      var button = event.target.closest("[data-remove-line]");
      if (!button) { return; }
      event.preventDefault();
      var row = button.closest("[data-budget-line]");
      if (row) { row.parentNode.removeChild(row); }
      renumber();
      updateTotal();
      markDirty();
      addButton.focus();
    });
  }
  form.addEventListener("input", function (event) {
    if (event.target.hasAttribute && event.target.hasAttribute("data-amount")) { updateTotal(); }
  });
  renumber();

  // --- autosave -------------------------------------------------------------------------------
  var url = form.getAttribute("data-autosave-url");
  var status = document.getElementById("autosave-status");
  var lockField = form.querySelector("input[name=lock_version]");
  var dirty = false;
  var stopped = false;
  var submitting = false;
  var inflight = null;

  function markDirty() { dirty = true; }
  form.addEventListener("input", markDirty);
  form.addEventListener("change", markDirty);

  function show(message, isError, link) {
    if (!status) { return; }
    status.textContent = message || "";
    status.classList.toggle("error", !!isError);
    if (link) {
      var a = document.createElement("a");
      a.href = link;
      a.textContent = link;
      status.appendChild(document.createTextNode(" "));
      status.appendChild(a);
    }
  }

  function payload() {
    var data = new FormData(form);
    form.querySelectorAll("input[type=file]").forEach(function (input) { data.delete(input.name); });
    return data;
  }

  function save(leaving) {
    if (!url || !dirty || inflight || stopped || submitting || !window.fetch) { return; }
    dirty = false;
    var data = payload();
    if (!leaving) { show(form.getAttribute("data-text-saving")); }
    inflight = fetch(url, {
      method: "POST", body: data, credentials: "same-origin", keepalive: !!leaving,
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (body) { return { status: response.status, body: body }; });
    }).then(function (result) {
      if (result.body.saved) {
        if (lockField) { lockField.value = String(result.body.lock_version); }
        show(form.getAttribute("data-text-saved").replace("%(time)s", result.body.saved_at_text));
      } else {
        dirty = true;
        if (result.status !== 400 || result.body.expired) { stopped = true; }
        show(result.body.message, true, result.body.url);
      }
    }).catch(function () {
      dirty = true;
      if (leaving && navigator.sendBeacon) {
        navigator.sendBeacon(url, data);  // e.g. too large for a keepalive request
      } else {
        show(form.getAttribute("data-text-failed"), true);
      }
    }).then(function () { inflight = null; });
  }

  // A save in flight carries the version number the form will need: let it finish first.
  form.addEventListener("submit", function (event) {
    if (inflight && form.requestSubmit) {
      event.preventDefault();
      var submitter = event.submitter;
      inflight.then(function () {
        submitting = true;
        if (submitter) { form.requestSubmit(submitter); } else { form.requestSubmit(); }
      });
      return;
    }
    submitting = true;
  });

  if (url) {
    window.setInterval(function () { save(false); }, 60000);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") { save(true); }
    });
    window.addEventListener("pagehide", function () { save(true); });
  }
  form.setAttribute("data-enhanced", "true");  // the page is ready (browser tests wait for it)
})();

// A long list of country checkboxes gets a filter box: typing hides the countries whose name
// does not match, and a polite live region says how many are shown. Without JavaScript the
// whole list is there, so this only enhances it.
(function () {
  document.querySelectorAll("[data-filterable]").forEach(function (list) {
    var qid = list.getAttribute("data-filterable");
    var label = document.createElement("label");
    label.setAttribute("for", qid + "-filter");
    label.textContent = list.getAttribute("data-filter-label");
    var box = document.createElement("input");
    box.type = "search";
    box.id = qid + "-filter";
    box.setAttribute("autocomplete", "off");
    var count = document.createElement("p");
    count.className = "hint";
    count.setAttribute("aria-live", "polite");
    var items = Array.prototype.slice.call(list.querySelectorAll(".checkbox, label"));
    box.addEventListener("input", function () {
      var wanted = box.value.trim().toLowerCase();
      var shown = 0;
      items.forEach(function (item) {
        var match = !wanted || item.textContent.toLowerCase().indexOf(wanted) !== -1;
        item.hidden = !match;
        if (match) { shown += 1; }
      });
      count.textContent = list.getAttribute("data-count-template").replace("%(n)s", shown);
    });
    list.parentNode.insertBefore(label, list);
    list.parentNode.insertBefore(box, list);
    list.parentNode.insertBefore(count, list);
  });
})();

// Table questions: an "Add row" button below each table and a "Remove row" button in each row,
// in place of the "More rows" button (which saves and comes back with more empty rows). A new
// row takes the next free number in its cells' names; the server reads rows in that order.
(function () {
  var form = document.getElementById("proposal-form");
  if (!form) { return; }
  form.querySelectorAll("table[data-table]").forEach(function (table) {
    var qid = table.getAttribute("data-table");
    var body = table.tBodies[0];
    var most = parseInt(table.getAttribute("data-max-rows"), 10);
    var more = form.querySelector('button[name="more_rows"][value="' + qid + '"]');
    var add = document.createElement("button");
    add.type = "button";
    add.className = "add-row";
    add.textContent = table.getAttribute("data-text-add");

    function number(row) {
      var cell = row.querySelector("input");
      var match = cell ? new RegExp("^" + qid + "-(\\d+)-").exec(cell.name) : null;
      return match ? parseInt(match[1], 10) : -1;
    }

    function renumber() {
      Array.prototype.forEach.call(body.rows, function (row, index) {
        row.cells[0].textContent = String(index + 1);  // the row headers count from 1
      });
      add.disabled = body.rows.length >= most;
    }

    function changed() {
      renumber();
      form.dispatchEvent(new Event("change"));  // autosave notices it
    }

    function withRemove(row) {
      var cell = document.createElement("td");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "remove-row";
      button.textContent = table.getAttribute("data-text-remove");
      button.setAttribute("aria-labelledby", row.cells[0].id + "-remove " + row.cells[0].id);
      button.id = row.cells[0].id + "-remove";
      button.addEventListener("click", function () {
        var next = row.nextElementSibling || row.previousElementSibling;
        if (!next) {  // the last row is emptied, not removed: a new one is copied from it
          row.querySelectorAll("input").forEach(function (input) { input.value = ""; });
          changed();
          row.querySelector("input").focus();
          return;
        }
        row.parentNode.removeChild(row);
        changed();
        next.querySelector("input").focus();
      });
      cell.appendChild(button);
      row.appendChild(cell);
    }

    add.addEventListener("click", function () {
      var last = body.rows[body.rows.length - 1];
      var next = 0;
      Array.prototype.forEach.call(body.rows, function (row) { next = Math.max(next, number(row) + 1); });
      var row = last.cloneNode(true);
      var header = row.cells[0];
      header.id = qid + "-r" + next;
      row.querySelectorAll("td").forEach(function (cell) {
        if (cell.querySelector(".remove-row")) { row.removeChild(cell); return; }
        cell.className = "";
        var error = cell.querySelector(".error");
        if (error) { cell.removeChild(error); }
        var input = cell.querySelector("input");
        var column = input.name.split("-").slice(2).join("-");
        input.name = input.id = qid + "-" + next + "-" + column;
        input.value = "";
        input.removeAttribute("aria-invalid");
        input.removeAttribute("aria-describedby");
        input.setAttribute("aria-labelledby", qid + "-" + column + " " + header.id);
      });
      body.appendChild(row);
      withRemove(row);
      changed();
      row.querySelector("input").focus();
    });

    var actions = document.createElement("th");
    actions.scope = "col";
    actions.textContent = table.getAttribute("data-text-actions");
    table.tHead.rows[0].appendChild(actions);
    if (table.tFoot) { table.tFoot.rows[0].appendChild(document.createElement("td")); }
    Array.prototype.forEach.call(body.rows, withRemove);
    table.parentNode.insertBefore(add, table.nextSibling);
    if (more) { more.hidden = true; }
    renumber();
  });
})();
