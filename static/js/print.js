/* The checklist's print button: shown and wired only when JavaScript runs (no inline script: CSP). */
(function () {
  "use strict";
  if (typeof window.print !== "function") { return; }
  Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (button) {
    button.addEventListener("click", function () { window.print(); });
    (button.closest("[data-print-row]") || button).hidden = false;
  });
}());
