// Progressive enhancement of the confirmation step (fund/confirmation.py): a form marked
// data-confirm is first sent in the background; the server answers with its confirmation page
// (which changes nothing), and its text and form are shown in a native <dialog>. "Cancel"
// closes the dialog; the dialog's button sends the confirmed form as a normal navigation.
// Without this file, or if anything goes wrong here, the same page is reached by the POST.
(function () {
  "use strict";
  if (typeof HTMLDialogElement !== "function" || !window.fetch || !window.DOMParser) { return; }

  var dialog = document.createElement("dialog");
  dialog.className = "confirm-dialog";
  dialog.setAttribute("aria-labelledby", "confirm-title");
  document.body.appendChild(dialog);
  var opener = null;

  dialog.addEventListener("close", function () {
    dialog.replaceChildren();
    if (opener) { opener.focus(); }
  });

  function show(step) {
    var content = document.importNode(step, true);
    var title = content.querySelector("h1");
    if (title) {  // the page's one <h1> stays the page's own
      var heading = document.createElement("h2");
      heading.id = title.id;
      heading.textContent = title.textContent;
      title.replaceWith(heading);
    }
    var cancel = content.querySelector("[data-cancel]");
    if (cancel) {
      cancel.setAttribute("role", "button");
      cancel.addEventListener("click", function (event) {
        event.preventDefault();
        dialog.close();
      });
    }
    dialog.replaceChildren(content);
    dialog.showModal();
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-confirm")) { return; }
    event.preventDefault();
    opener = event.submitter || form.querySelector("button[type=submit]");
    fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var step = new DOMParser().parseFromString(html, "text/html")
          .querySelector("[data-confirmation]");
        // Not a confirmation (the form has errors, say): send it for real, as without script.
        if (step) { show(step); } else { HTMLFormElement.prototype.submit.call(form); }
      })
      .catch(function () { HTMLFormElement.prototype.submit.call(form); });
  });
})();
