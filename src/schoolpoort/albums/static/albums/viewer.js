/* The photo viewer: swipe left or right on a phone, or use the arrow keys, for the next or previous
   photo. The links work without this script; it only adds the gestures. */
(function () {
  "use strict";
  var viewer = document.getElementById("viewer");
  if (!viewer) return;

  function go(which) {
    var link = viewer.querySelector('[data-nav="' + which + '"]');
    if (link) window.location.assign(link.href);
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    var tag = (event.target && event.target.tagName) || "";
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || tag === "VIDEO") return;
    if (event.key === "ArrowLeft") go("prev");
    else if (event.key === "ArrowRight") go("next");
  });

  var startX = null, startY = null, startTime = 0;
  viewer.addEventListener("touchstart", function (event) {
    if (event.touches.length !== 1) { startX = null; return; }
    startX = event.touches[0].clientX;
    startY = event.touches[0].clientY;
    startTime = Date.now();
  }, { passive: true });
  viewer.addEventListener("touchend", function (event) {
    if (startX === null) return;
    var touch = event.changedTouches[0];
    var dx = touch.clientX - startX, dy = touch.clientY - startY;
    startX = null;
    // A quick, mostly horizontal stroke of at least 50 px: a swipe (not a scroll or a pinch).
    if (Math.abs(dx) < 50 || Math.abs(dx) < Math.abs(dy) * 1.5 || Date.now() - startTime > 800) return;
    go(dx < 0 ? "next" : "prev");
  }, { passive: true });
  viewer.dataset.gestures = "ready"; // for tests: a swipe before this would be lost
})();
