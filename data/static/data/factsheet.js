// The fact sheet's print button (no inline handlers under the Content-Security-Policy).
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var button = document.getElementById("print-sheet");
  if (button) button.addEventListener("click", function () { window.print(); });
});
