/* Passkeys of the creditors' portal (WebAuthn): adding one on /portal/passkeys/ and signing in
   with one on /portal/. The server gives the options and checks the answer; this file only
   converts between JSON (base64url) and the browser's ArrayBuffers. */
(function () {
  "use strict";

  function toBytes(text) {
    var base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    while (base64.length % 4) { base64 += "="; }
    var raw = atob(base64), bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { bytes[i] = raw.charCodeAt(i); }
    return bytes.buffer;
  }

  function toText(buffer) {
    if (!buffer) { return null; }
    var bytes = new Uint8Array(buffer), raw = "";
    for (var i = 0; i < bytes.length; i++) { raw += String.fromCharCode(bytes[i]); }
    return btoa(raw).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function say(form, text) {
    var box = form.querySelector("[data-passkey-status]");
    if (box) { box.textContent = text; }
  }

  function post(url, form, body) {
    var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    return fetch(url, {method: "POST", credentials: "same-origin",
                       headers: {"Content-Type": "application/json", "X-CSRFToken": token},
                       body: JSON.stringify(body)})
      .then(function (response) {
        return response.json().then(function (data) {
          if (!response.ok) { throw new Error(data.message || response.statusText); }
          return data;
        });
      });
  }

  function descriptors(list) {
    return (list || []).map(function (item) {
      return {type: item.type, id: toBytes(item.id), transports: item.transports};
    });
  }

  function addPasskey(form) {
    say(form, form.dataset.working);
    post(form.dataset.optionsUrl, form, {}).then(function (options) {
      options.challenge = toBytes(options.challenge);
      options.user.id = toBytes(options.user.id);
      options.excludeCredentials = descriptors(options.excludeCredentials);
      return navigator.credentials.create({publicKey: options});
    }).then(function (credential) {
      var name = form.querySelector("input[name=name]");
      return post(form.dataset.finishUrl, form, {name: name ? name.value : "", credential: {
        id: credential.id, rawId: toText(credential.rawId), type: credential.type,
        response: {clientDataJSON: toText(credential.response.clientDataJSON),
                   attestationObject: toText(credential.response.attestationObject),
                   transports: credential.response.getTransports ? credential.response.getTransports() : []}}});
    }).then(function (answer) {
      window.location.assign(answer.redirect);
    }).catch(function (error) { say(form, form.dataset.failed + " " + (error.message || "")); });
  }

  function signIn(form) {
    var contact = document.getElementById("id_contact");
    say(form, form.dataset.working);
    post(form.dataset.optionsUrl, form, {contact: contact ? contact.value : ""}).then(function (options) {
      options.challenge = toBytes(options.challenge);
      options.allowCredentials = descriptors(options.allowCredentials);
      return navigator.credentials.get({publicKey: options});
    }).then(function (credential) {
      var response = credential.response;
      return post(form.dataset.finishUrl, form, {credential: {
        id: credential.id, rawId: toText(credential.rawId), type: credential.type,
        response: {clientDataJSON: toText(response.clientDataJSON),
                   authenticatorData: toText(response.authenticatorData),
                   signature: toText(response.signature), userHandle: toText(response.userHandle)}}});
    }).then(function (answer) {
      window.location.assign(answer.redirect);
    }).catch(function (error) { say(form, form.dataset.failed + " " + (error.message || "")); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var supported = !!(window.PublicKeyCredential && navigator.credentials);
    [["passkey-add", addPasskey], ["passkey-sign-in", signIn]].forEach(function (pair) {
      var form = document.getElementById(pair[0]);
      if (!form) { return; }
      if (!supported) { say(form, form.dataset.unsupported); return; }
      form.addEventListener("submit", function (event) { event.preventDefault(); pair[1](form); });
    });
  });
}());
