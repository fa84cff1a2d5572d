// Grading queue: keys for marking fast. The page is a plain form without this file.
//   0, h or 5 (½), 1: mark the highlighted rubric point, then highlight the next one
//   (once all are marked, the Save button takes the focus, so Enter saves);
//   n or s: skip this answer; once a mark is chosen, only after a confirmation, since
//   skipping discards it. Keys typed into the comment box are left alone.
// The keys work only while the focus is inside the form (WCAG 2.1.4: single-key shortcuts
// must not fire page-wide, where a speech-input user's words or a stray key would mark).
(function () {
  "use strict";
  var form = document.getElementById("grading-form");
  if (!form) return;
  var points = Array.prototype.slice.call(form.querySelectorAll("fieldset.mark-buttons"));
  var save = document.getElementById("grading-save");
  var keys = form.querySelector(".grading-keys");
  var VALUES = { "0": "0.0", h: "0.5", "5": "0.5", "1": "1.0" };
  var current = 0;
  var sent = false;

  function firstUnmarked() {
    for (var i = 0; i < points.length; i++) {
      if (!points[i].querySelector("input:checked")) return i;
    }
    return -1;
  }

  function highlight(index) {
    current = index;
    points.forEach(function (point, i) { point.classList.toggle("current", i === index); });
  }

  function mark(value) {
    var point = points[current];
    if (!point) return;
    var input = point.querySelector('input[value="' + value + '"]');
    input.checked = true;
    var next = firstUnmarked();
    if (next === -1) {
      highlight(-1);
      save.focus();
    } else {
      highlight(next);
    }
  }

  // Clicking a mark moves the highlight on too, so mouse and keys mix.
  points.forEach(function (point, i) {
    point.addEventListener("change", function () {
      var next = firstUnmarked();
      highlight(next === -1 ? i : next);
    });
    point.addEventListener("focusin", function () { highlight(i); });
  });

  function anyMarked() {
    return form.querySelector("fieldset.mark-buttons input:checked") !== null;
  }

  form.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    var target = event.target;
    if (target && (target.tagName === "TEXTAREA" || target.tagName === "SELECT" ||
        (target.tagName === "INPUT" && target.type === "text"))) return;
    var key = event.key.toLowerCase();
    if (Object.prototype.hasOwnProperty.call(VALUES, key)) {
      event.preventDefault();
      mark(VALUES[key]);
    } else if (key === "n" || key === "s") {
      event.preventDefault();
      if (anyMarked() && !window.confirm("Skip this answer? The marks you chose are not saved.")) {
        return;
      }
      window.location.assign(form.dataset.skip);
    }
  });

  // One save per page: a second Enter or click while the first is on its way does nothing.
  form.addEventListener("submit", function (event) {
    if (sent) { event.preventDefault(); return; }
    sent = true;
  });
  window.addEventListener("pageshow", function (event) { if (event.persisted) sent = false; });

  if (keys) keys.hidden = false;
  var start = firstUnmarked();
  highlight(start === -1 ? 0 : start);
})();
