/* Keyboard access to tables that scroll sideways (WCAG 2.1.1). A wide table sits in a .table-wrap
   that scrolls on a narrow screen; a keyboard user can scroll it only when the wrapper takes focus.
   Only a wrapper that really overflows gets the tab stop (named after the table's caption when there
   is one), so a desktop page keeps no useless stops. Runs again after resizes and htmx swaps. */
(function () {
  "use strict";
  var uid = 0;

  function caption(wrap) {
    var found = wrap.querySelector("caption");
    if (!found) return null;
    if (!found.id) found.id = "table-caption-" + (++uid);
    return found.id;
  }

  function update() {
    document.querySelectorAll(".table-wrap").forEach(function (wrap) {
      var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
      if (scrolls && !wrap.hasAttribute("tabindex")) {
        wrap.setAttribute("tabindex", "0");
        wrap.dataset.scrollStop = "1";
        var labelledby = caption(wrap);
        if (labelledby && !wrap.hasAttribute("aria-labelledby")) {
          wrap.setAttribute("role", "group");  // named by the caption; not a landmark of its own
          wrap.setAttribute("aria-labelledby", labelledby);
        }
      } else if (!scrolls && wrap.dataset.scrollStop) {
        wrap.removeAttribute("tabindex");
        delete wrap.dataset.scrollStop;
        if (wrap.getAttribute("role") === "group") {
          wrap.removeAttribute("role");
          wrap.removeAttribute("aria-labelledby");
        }
      }
    });
  }

  var pending = false;
  function soon() {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () { pending = false; update(); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", update);
  else update();
  window.addEventListener("resize", soon);
  document.addEventListener("htmx:afterSettle", soon);
})();
