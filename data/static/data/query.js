// The query builder: clicking a neighborhood on the picker map ticks it in the unit list
// (and switches the geography to a custom area); the list stays the accessible way to pick.
(function () {
  "use strict";
  function paint(form) {
    form.querySelectorAll("path.ps-pick").forEach(function (path) {
      var box = form.querySelector('input[data-unit="' + path.getAttribute("data-unit") + '"]');
      var on = box && box.checked;
      path.setAttribute("fill", on ? "#1a4480" : "#f0f0f0");
      path.setAttribute("aria-pressed", on ? "true" : "false");
    });
  }
  function setup() {
    var form = document.getElementById("query-form");
    if (!form) return;
    paint(form);
    form.addEventListener("change", function () { paint(form); });
    form.querySelectorAll("path.ps-pick").forEach(function (path) {
      path.addEventListener("click", function () {
        var box = form.querySelector('input[data-unit="' + path.getAttribute("data-unit") + '"]');
        if (!box) return;
        box.checked = !box.checked;
        var level = form.querySelector("select[name=level]");
        if (level && box.checked) level.value = "custom";
        box.dispatchEvent(new Event("change", { bubbles: true }));
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
