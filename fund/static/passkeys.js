// Passkeys (WebAuthn) need navigator.credentials, so they need this script: the controls are
// rendered hidden and shown here only when the browser can use passkeys. Each ceremony asks the
// server for options (JSON, with the CSRF token in a header), hands them to the browser, and
// posts the authenticator's answer back. Binary values travel as base64url, as the server's
// `webauthn` package writes and reads them. Messages come translated from the page or the
// server; a cancelled prompt shows the container's data-failed text.
(function () {
  "use strict";
  if (!window.PublicKeyCredential || !window.fetch || !navigator.credentials) { return; }

  function toBuffer(text) {
    var base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    var binary = atob(base64 + "===".slice((base64.length + 3) % 4));
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) { bytes[i] = binary.charCodeAt(i); }
    return bytes.buffer;
  }

  function toText(buffer) {
    var bytes = new Uint8Array(buffer), binary = "";
    for (var i = 0; i < bytes.length; i++) { binary += String.fromCharCode(bytes[i]); }
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function csrfToken() {
    var field = document.querySelector("input[name=csrf_token]");
    return field ? field.value : "";
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "X-CSRFToken": csrfToken()
      },
      body: JSON.stringify(body || {})
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) { throw new Error(data.error || data.message || ""); }
        return data;
      });
    });
  }

  function descriptors(list) {
    return (list || []).map(function (item) {
      return { type: item.type, id: toBuffer(item.id), transports: item.transports };
    });
  }

  function creationOptions(options) {
    options.challenge = toBuffer(options.challenge);
    options.user.id = toBuffer(options.user.id);
    options.excludeCredentials = descriptors(options.excludeCredentials);
    return { publicKey: options };
  }

  function requestOptions(options) {
    options.challenge = toBuffer(options.challenge);
    options.allowCredentials = descriptors(options.allowCredentials);
    return { publicKey: options };
  }

  function credentialJSON(credential) {
    var answer = credential.response, response = { clientDataJSON: toText(answer.clientDataJSON) };
    if (answer.attestationObject) {
      response.attestationObject = toText(answer.attestationObject);
      response.transports = answer.getTransports ? answer.getTransports() : [];
    } else {
      response.authenticatorData = toText(answer.authenticatorData);
      response.signature = toText(answer.signature);
      if (answer.userHandle) { response.userHandle = toText(answer.userHandle); }
    }
    return {
      id: credential.id,
      rawId: toText(credential.rawId),
      type: credential.type,
      response: response,
      authenticatorAttachment: credential.authenticatorAttachment || undefined,
      clientExtensionResults: credential.getClientExtensionResults()
    };
  }

  function showError(container, error) {
    var place = container.querySelector("[role=alert]");
    if (!place) { return; }
    // A DOMException is the browser's own (cancelled, timed out): our translated text instead.
    var own = error && !(error instanceof DOMException) && error.message;
    place.textContent = own || container.getAttribute("data-failed") || "";
    place.hidden = false;
  }

  function assertion(optionsUrl, body) {
    return post(optionsUrl, body)
      .then(function (options) { return navigator.credentials.get(requestOptions(options)); })
      .then(credentialJSON);
  }

  // "Add a passkey": name it, create it, keep it.
  document.querySelectorAll("form[data-options]").forEach(function (form) {
    form.hidden = false;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!form.reportValidity()) { return; }
      var name = form.querySelector("input[name=name]").value;
      post(form.getAttribute("data-options"))
        .then(function (options) { return navigator.credentials.create(creationOptions(options)); })
        .then(function (credential) {
          return post(form.getAttribute("data-action"),
            { name: name, credential: credentialJSON(credential) });
        })
        .then(function (data) { window.location.assign(data.redirect); })
        .catch(function (error) { showError(form, error); });
    });
  });

  // "Sign in with a passkey" (no e-mail typed) and "Use your passkey" after the password.
  document.querySelectorAll("[data-passkey-sign-in]").forEach(function (container) {
    container.hidden = false;
    container.querySelector("button").addEventListener("click", function () {
      var afterPassword = container.getAttribute("data-after-password") === "true";
      assertion(container.getAttribute("data-passkey-sign-in"), { after_password: afterPassword })
        .then(function (credential) {
          return post(container.getAttribute("data-action"), { credential: credential });
        })
        .then(function (data) { window.location.assign(data.redirect); })
        .catch(function (error) { showError(container, error); });
    });
  });

  // Removing a passkey: without a code from the app, confirm with a passkey.
  document.querySelectorAll("form[data-passkey-confirm]").forEach(function (form) {
    form.querySelectorAll("[data-passkey-only]").forEach(function (hint) { hint.hidden = false; });
    form.addEventListener("submit", function (event) {
      var code = form.querySelector("input[name$=code]");
      if (code && code.value.trim()) { return; }  // a code: the form goes as it is
      event.preventDefault();
      assertion(form.getAttribute("data-passkey-confirm"))
        .then(function (credential) {
          form.querySelector("input[name$=assertion]").value = JSON.stringify(credential);
          HTMLFormElement.prototype.submit.call(form);
        })
        .catch(function () { HTMLFormElement.prototype.submit.call(form); });  // server explains
    });
  });
})();
