// The print button of the class list's print view.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
