// Refuse a file that is too large before sending it: the browser knows its size up front.
(function () {
  "use strict";
  function setup() {
    document.querySelectorAll("input[type=file][data-max-bytes]").forEach(function (input) {
      var limit = parseInt(input.getAttribute("data-max-bytes"), 10);
      var message = document.getElementById(input.getAttribute("data-error-id"));
      var button = input.form && input.form.querySelector("button[type=submit]");
      input.addEventListener("change", function () {
        var file = input.files && input.files[0];
        var tooBig = file && file.size > limit;
        if (message) message.hidden = !tooBig;
        if (button) button.disabled = !!tooBig;
        input.setAttribute("aria-invalid", tooBig ? "true" : "false");
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
