// The question builder's drag and drop (fund/templates/calls/form_builder.html). Questions can
// be dragged within and across sections, sections by their title. A drop sends one "move"
// request; the list is then re-read from the page, so the buttons and numbers are the
// server's. Without JavaScript, and from the keyboard, the "Move up"/"Move down" buttons do
// the same.
(function () {
  "use strict";
  var root = document.getElementById("questions");
  if (!root || !window.fetch || !("draggable" in document.createElement("span"))) { return; }
  var url = root.getAttribute("data-move-url");
  var status = document.getElementById("move-status");
  var dragged = null;

  function say(text, failed) {
    status.textContent = text;
    status.className = failed ? "error" : "hint";
  }

  // The place a drop asks for: the section and the position among the other items.
  function place(target, event) {
    if (dragged.kind === "section") {
      var section = target.closest(".builder-section");
      if (!section) { return null; }
      var sections = Array.prototype.filter.call(
        root.querySelectorAll(".builder-section"), function (s) { return s !== dragged.node; });
      var at = sections.indexOf(section);
      if (at === -1) { return null; }
      var box = section.getBoundingClientRect();
      return { section: "", position: at + (event.clientY > box.top + box.height / 2 ? 1 : 0) };
    }
    var home = target.closest(".builder-section");
    if (!home) { return null; }
    var others = Array.prototype.filter.call(
      home.querySelectorAll("li[data-question]"), function (q) { return q !== dragged.node; });
    var item = target.closest("li[data-question]");
    var position = others.length;  // dropped on the section itself: at its end
    if (item && item !== dragged.node) {
      var rect = item.getBoundingClientRect();
      position = others.indexOf(item) + (event.clientY > rect.top + rect.height / 2 ? 1 : 0);
    }
    return { section: home.id, position: position };
  }

  function refresh() {
    return fetch(window.location.pathname, { credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("questions");
        if (fresh) { root.innerHTML = fresh.innerHTML; }
        enhance();
      });
  }

  function send(where) {
    var data = new FormData();
    data.append("csrf_token", root.getAttribute("data-csrf"));
    data.append("item", dragged.id);
    data.append("section", where.section);
    data.append("position", String(where.position));
    say(root.getAttribute("data-text-saving"));
    fetch(url, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (result) {
      return refresh().then(function () { say(result.body.message, !result.ok); });
    }).catch(function () {
      say(root.getAttribute("data-text-failed"), true);
    });
  }

  function draggable(handle, node, kind) {
    handle.setAttribute("draggable", "true");
    handle.classList.add("drag-handle");
    handle.addEventListener("dragstart", function (event) {
      event.stopPropagation();
      dragged = { node: node, id: node.id, kind: kind };
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", node.id);
      node.classList.add("dragging");
    });
    handle.addEventListener("dragend", function () {
      node.classList.remove("dragging");
    });
  }

  function enhance() {
    root.querySelectorAll(".builder-section").forEach(function (section) {
      draggable(section.querySelector("h2"), section, "section");
      section.querySelectorAll("li[data-question]").forEach(function (item) {
        draggable(item, item, "question");
      });
    });
  }

  root.addEventListener("dragover", function (event) {
    if (dragged && place(event.target, event)) { event.preventDefault(); }
  });
  root.addEventListener("drop", function (event) {
    if (!dragged) { return; }
    var where = place(event.target, event);
    if (where) {
      event.preventDefault();
      send(where);
    }
    dragged = null;
  });

  var hint = document.createElement("p");
  hint.className = "hint";
  hint.textContent = root.getAttribute("data-text-hint");
  root.parentNode.insertBefore(hint, root);
  enhance();
})();
