// The print button of the day list (no inline scripts).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
