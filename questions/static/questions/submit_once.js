// Forms marked data-submit-once: the submit button is disabled once the form is sent, so a
// double click sends one request. The server does not rely on it (a replayed form is
// recognised by its one-time key); this only spares the second request.
(function () {
  "use strict";
  document.querySelectorAll("form[data-submit-once]").forEach(function (form) {
    var buttons = form.querySelectorAll("button[type=submit]");
    form.addEventListener("submit", function () {
      buttons.forEach(function (button) {
        // Disabled after this event, so the submission itself still goes out.
        setTimeout(function () {
          button.disabled = true;
          if (button.dataset.busyLabel) {
            button.dataset.label = button.textContent;
            button.textContent = button.dataset.busyLabel;
          }
        }, 0);
      });
    });
  });
  // Back from the next page (bfcache), the form is usable again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    document.querySelectorAll("form[data-submit-once] button[type=submit]").forEach(function (b) {
      b.disabled = false;
      if (b.dataset.label) b.textContent = b.dataset.label;
    });
  });
})();
