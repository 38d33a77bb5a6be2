/* Schoolpoort as an installed app: registers the service worker, shows the hint to put
   Schoolpoort on the home screen on phones, and says so when an offline copy is shown.
   Texts and URLs come from <script id="pwa-config"> (web/_pwa_body.html). */
(function () {
  "use strict";
  const configElement = document.getElementById("pwa-config");
  if (!configElement) return;
  const config = JSON.parse(configElement.textContent);
  const DISMISSED = "schoolpoort.installHint.dismissed";

  // --- Service worker ---
  if ("serviceWorker" in navigator && config.serviceWorker) {
    navigator.serviceWorker.register(config.serviceWorker, {scope: "/"}).catch(function (error) {
      console.warn("Schoolpoort: service worker not registered", error);
    });
  }

  // --- Offline copy: the service worker served the last saved page ---
  const offlineCopy = document.documentElement.hasAttribute("data-offline-copy") || navigator.onLine === false;
  if (offlineCopy && !config.isOfflinePage) {
    const main = document.getElementById("main");
    if (main) {
      const notice = document.createElement("p");
      notice.className = "notice offline-notice";
      notice.setAttribute("role", "status");
      notice.textContent = config.text.offlineCopy;
      main.prepend(notice);
      window.addEventListener("online", function () { notice.remove(); }, {once: true});
    }
  }

  // --- Install hint ("zet op beginscherm") ---
  const hint = document.getElementById("install-hint");
  if (!hint) return;
  const ua = navigator.userAgent;
  // iPadOS presents itself as a Mac; a Mac has no touch screen.
  const isIOS = /iPhone|iPad|iPod/.test(ua) || (/Macintosh/.test(ua) && navigator.maxTouchPoints > 1);
  const isPhone = isIOS || /Android|Mobi/i.test(ua);
  const standalone = window.matchMedia("(display-mode: standalone)").matches || navigator.standalone === true;

  function dismissed() {
    try { return localStorage.getItem(DISMISSED) === "1"; } catch (error) { return false; }
  }

  if (!isPhone || standalone || dismissed()) return;

  function show(variant) {
    hint.querySelectorAll("[data-install-variant]").forEach(function (element) {
      element.hidden = element.getAttribute("data-install-variant") !== variant;
    });
    hint.hidden = false;
  }

  function close(remember) {
    const hadFocus = hint.contains(document.activeElement);
    hint.hidden = true;
    if (remember) {
      try { localStorage.setItem(DISMISSED, "1"); } catch (error) { /* private mode: ask again next time */ }
    }
    if (hadFocus) {
      const main = document.getElementById("main");
      if (main) main.focus();
    }
  }

  hint.querySelector("[data-install=dismiss]").addEventListener("click", function () { close(true); });
  hint.addEventListener("keydown", function (event) {
    if (event.key === "Escape") close(true);
  });

  if (isIOS) {
    // Safari has no install button for websites: explain Share → Add to Home Screen.
    show("ios");
    return;
  }

  // Android (Chrome, Edge, Samsung Internet): the browser offers installing through this event.
  let installPrompt = null;
  window.addEventListener("beforeinstallprompt", function (event) {
    event.preventDefault();
    installPrompt = event;
    show("prompt");
  });
  hint.querySelector("[data-install=prompt]").addEventListener("click", async function () {
    if (!installPrompt) return;
    installPrompt.prompt();
    await installPrompt.userChoice;
    installPrompt = null;
    close(true); // installed, or said no to the browser: do not ask on every page
  });
  window.addEventListener("appinstalled", function () { close(true); });
})();
