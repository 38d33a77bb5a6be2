/* Passkeys as the second step of signing in (accounts/passkey_views.py). A button
   <button data-passkey="register|sign-in" data-begin="URL" data-complete="URL"
           data-status="ID of a role=status element" data-failed="text" data-unsupported="text">
   inside a form with the CSRF token: asks the server for options, lets the browser create or use
   the passkey, sends the answer back and follows the server's redirect (or reloads). */
(function () {
  "use strict";

  function toBytes(base64url) {
    const base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
    const binary = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
    return Uint8Array.from(binary, function (c) { return c.charCodeAt(0); });
  }

  function toBase64url(buffer) {
    const bytes = new Uint8Array(buffer);
    let binary = "";
    for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]);
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function descriptors(list) {
    return (list || []).map(function (d) { return Object.assign({}, d, {id: toBytes(d.id)}); });
  }

  function creationOptions(json) {
    return Object.assign({}, json, {
      challenge: toBytes(json.challenge),
      user: Object.assign({}, json.user, {id: toBytes(json.user.id)}),
      excludeCredentials: descriptors(json.excludeCredentials),
    });
  }

  function requestOptions(json) {
    return Object.assign({}, json, {
      challenge: toBytes(json.challenge),
      allowCredentials: descriptors(json.allowCredentials),
    });
  }

  function credentialJSON(credential) {
    if (typeof credential.toJSON === "function") return credential.toJSON();
    const r = credential.response;
    const response = {clientDataJSON: toBase64url(r.clientDataJSON)};
    if (r.attestationObject) {
      response.attestationObject = toBase64url(r.attestationObject);
      response.transports = typeof r.getTransports === "function" ? r.getTransports() : [];
    } else {
      response.authenticatorData = toBase64url(r.authenticatorData);
      response.signature = toBase64url(r.signature);
      if (r.userHandle) response.userHandle = toBase64url(r.userHandle);
    }
    return {
      id: credential.id,
      rawId: toBase64url(credential.rawId),
      type: credential.type,
      response: response,
      authenticatorAttachment: credential.authenticatorAttachment || undefined,
      clientExtensionResults: credential.getClientExtensionResults(),
    };
  }

  async function post(url, body, csrfToken) {
    const answer = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrfToken},
      body: JSON.stringify(body || {}),
    });
    if (!answer.ok) throw new Error("HTTP " + answer.status);
    return answer.json();
  }

  async function run(button) {
    const status = document.getElementById(button.dataset.status);
    const form = button.closest("form");
    const csrfToken = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    const register = button.dataset.passkey === "register";
    button.disabled = true;
    if (status) status.textContent = "";
    try {
      const options = await post(button.dataset.begin, {}, csrfToken);
      const credential = register
        ? await navigator.credentials.create({publicKey: creationOptions(options)})
        : await navigator.credentials.get({publicKey: requestOptions(options)});
      let complete = button.dataset.complete;
      const remember = document.querySelector("input[name=remember]");
      if (!register && remember && remember.checked) complete += (complete.includes("?") ? "&" : "?") + "remember=1";
      const result = await post(complete, credentialJSON(credential), csrfToken);
      window.location.assign(result.redirect_url || button.dataset.done || window.location.href);
    } catch (error) {
      console.warn("Schoolpoort: passkey", error);
      if (status) status.textContent = button.dataset.failed;
      button.disabled = false;
    }
  }

  document.querySelectorAll("button[data-passkey]").forEach(function (button) {
    if (!window.PublicKeyCredential || !navigator.credentials) {
      const status = document.getElementById(button.dataset.status);
      if (status) status.textContent = button.dataset.unsupported;
      button.disabled = true;
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function (event) {
      event.preventDefault();
      run(button);
    });
  });
})();
