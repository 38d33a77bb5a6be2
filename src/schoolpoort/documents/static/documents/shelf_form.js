// The shelf form: show only the choices that belong to the chosen audience (groups, or the
// parents of one pupil). Without JavaScript every choice stays visible and the form still works.
(function () {
  var form = document.getElementById("shelf-form");
  if (!form) return;
  function update() {
    var chosen = form.querySelector('input[name="audience"]:checked');
    var value = chosen ? chosen.value : "";
    form.querySelectorAll("[data-audience]").forEach(function (part) {
      part.hidden = part.getAttribute("data-audience") !== value;
    });
  }
  form.addEventListener("change", function (event) {
    if (event.target.name === "audience") update();
  });
  update();
})();
