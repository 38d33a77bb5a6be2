/* Push notifications on this device, for the panel on the notification preferences page:
     <div data-push-panel><p data-push-status></p>
       <button data-push="subscribe">…</button> <button data-push="unsubscribe" hidden>…</button></div>
   The endpoints and texts come from <script id="pwa-config"> (web/_pwa_body.html). */
(function () {
  "use strict";
  const panel = document.querySelector("[data-push-panel]");
  const configElement = document.getElementById("pwa-config");
  if (!panel || !configElement) return;
  const config = JSON.parse(configElement.textContent);
  const text = config.text;
  const status = panel.querySelector("[data-push-status]");
  const subscribeButton = panel.querySelector("[data-push=subscribe]");
  const unsubscribeButton = panel.querySelector("[data-push=unsubscribe]");
  if (status) status.setAttribute("aria-live", "polite");

  const ua = navigator.userAgent;
  const isIOS = /iPhone|iPad|iPod/.test(ua) || (/Macintosh/.test(ua) && navigator.maxTouchPoints > 1);
  const standalone = window.matchMedia("(display-mode: standalone)").matches || navigator.standalone === true;
  const supported = "serviceWorker" in navigator && "PushManager" in window && "Notification" in window &&
    Boolean(config.serviceWorker && config.push.vapidKey && config.push.subscribe && config.push.unsubscribe);

  function render(message, state) {
    if (status) status.textContent = message;
    panel.setAttribute("data-push-state", state);
    if (subscribeButton) { subscribeButton.hidden = state !== "off"; subscribeButton.disabled = false; }
    if (unsubscribeButton) { unsubscribeButton.hidden = state !== "on"; unsubscribeButton.disabled = false; }
  }

  function busy() {
    if (status) status.textContent = text.busy;
    if (subscribeButton) subscribeButton.disabled = true;
    if (unsubscribeButton) unsubscribeButton.disabled = true;
  }

  function csrfToken() {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  async function post(url, body) {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrfToken()},
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${url}: ${response.status}`);
    return response;
  }

  // The VAPID public key (base64url) as the bytes pushManager.subscribe() wants.
  function keyBytes(base64url) {
    const base64 = (base64url + "=".repeat((4 - (base64url.length % 4)) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    return Uint8Array.from(atob(base64), function (c) { return c.charCodeAt(0); });
  }

  async function registration() {
    await navigator.serviceWorker.register(config.serviceWorker, {scope: "/"});
    return navigator.serviceWorker.ready;
  }

  async function refresh() {
    if (Notification.permission === "denied") return render(text.blocked, "blocked");
    const subscription = await (await registration()).pushManager.getSubscription();
    render(subscription && Notification.permission === "granted" ? text.on : text.off,
      subscription && Notification.permission === "granted" ? "on" : "off");
  }

  async function subscribe() {
    busy();
    const permission = await Notification.requestPermission();
    if (permission !== "granted") return refresh();
    const response = await fetch(config.push.vapidKey, {credentials: "same-origin"});
    if (!response.ok) throw new Error(`${config.push.vapidKey}: ${response.status}`);
    const applicationServerKey = keyBytes((await response.json()).publicKey);
    const pushManager = (await registration()).pushManager;
    let subscription;
    try {
      subscription = await pushManager.subscribe({userVisibleOnly: true, applicationServerKey});
    } catch (error) {
      // Subscribed before with another server key (the key was changed): start over once.
      const old = await pushManager.getSubscription();
      if (!old) throw error;
      await old.unsubscribe();
      subscription = await pushManager.subscribe({userVisibleOnly: true, applicationServerKey});
    }
    try {
      await post(config.push.subscribe, subscription.toJSON());
    } catch (error) {
      await subscription.unsubscribe(); // the server does not know it: do not pretend it is on
      throw error;
    }
    return refresh();
  }

  async function unsubscribe() {
    busy();
    const subscription = await (await registration()).pushManager.getSubscription();
    if (subscription) {
      const endpoint = subscription.endpoint;
      await subscription.unsubscribe();
      await post(config.push.unsubscribe, {endpoint});
    }
    return refresh();
  }

  function failed(error) {
    console.warn("Schoolpoort: push", error);
    return refresh().catch(function () { render(text.unsupported, "unsupported"); }).then(function () {
      if (status) status.textContent = text.failed;
    });
  }

  if (isIOS && !standalone) {
    // iOS delivers web push only to a site added to the home screen and opened from there.
    render(text.iosHomeScreen, "ios");
    return;
  }
  if (!supported) {
    render(text.unsupported, "unsupported");
    return;
  }
  if (subscribeButton) subscribeButton.addEventListener("click", function () { subscribe().catch(failed); });
  if (unsubscribeButton) unsubscribeButton.addEventListener("click", function () { unsubscribe().catch(failed); });
  refresh().catch(failed);
})();
