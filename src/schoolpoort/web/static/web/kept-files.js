// Files kept with a form (lib/_kept_files.html): a remove button takes the file out at once,
// without sending the form; the draft on the server is swept after a day. Focus moves on to the
// next remove button (or the file input) so a keyboard user is not left on nothing.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-kept-remove]");
  if (!button) return;
  event.preventDefault();
  const item = button.closest("[data-kept-file]");
  const box = button.closest("[data-kept-files]");
  const next = item.nextElementSibling || item.previousElementSibling;
  item.remove();
  const target = next ? next.querySelector("[data-kept-remove]") : box.closest("form").querySelector("input[type=file]");
  if (!box.querySelector("[data-kept-file]")) box.remove();
  if (target) target.focus();
});
