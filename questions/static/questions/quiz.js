// The quiz page: a countdown from the server's deadline, and answers saved as they are given.
// Without JavaScript the page still works: each question has its own "Save answer" button.
(function () {
  "use strict";
  var timer = document.getElementById("timer");
  if (!timer) return;
  var deadline = Date.parse(timer.dataset.deadline);
  // The server's clock is the truth; correct for the gap between it and this device's clock.
  var offset = Date.parse(timer.dataset.serverNow) - Date.now();
  var grace = (parseInt(timer.dataset.grace, 10) || 0) * 1000;
  var display = document.getElementById("time-left");
  var announcer = document.getElementById("timer-announce");
  // Screen readers hear the time at these marks (seconds left), not every second.
  var marks = [1800, 900, 600, 300, 120, 60, 30, 10];
  var announced = {};
  var pending = 0;
  var ended = false;

  function secondsLeft() {
    return Math.max(0, Math.ceil((deadline - (Date.now() + offset)) / 1000));
  }

  function format(s) {
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
    var mm = (h ? String(m).padStart(2, "0") : String(m)) + ":" + String(sec).padStart(2, "0");
    return h ? h + ":" + mm : mm;
  }

  function spoken(s) {
    if (s >= 60) {
      var m = Math.round(s / 60);
      return m + (m === 1 ? " minute" : " minutes") + " left";
    }
    return s + " seconds left";
  }

  function tick() {
    var s = secondsLeft();
    display.textContent = format(s);
    timer.classList.toggle("low", s <= 60);
    marks.forEach(function (mark) {
      if (s <= mark && s > mark - 5 && !announced[mark]) {
        announced[mark] = true;
        announcer.textContent = spoken(mark);
      }
    });
    if (s <= 0 && !ended) timeUp();
  }

  function timeUp() {
    ended = true;
    document.getElementById("timeup").hidden = false;
    document.querySelectorAll(".quiz-item input, .quiz-item textarea, .quiz-item button, #finish-form button")
      .forEach(function (el) { el.disabled = true; });
    // Let answers in flight land, then wait out the grace period: the server finishes the
    // attempt on the next read and shows the review.
    var waitUntil = Date.now() + grace + 500;
    (function reloadWhenDone() {
      if (pending > 0 || Date.now() < waitUntil) return setTimeout(reloadWhenDone, 250);
      // Open the review at its top, not where this page was scrolled to.
      if ("scrollRestoration" in history) history.scrollRestoration = "manual";
      window.location.replace(window.location.pathname);
    })();
  }

  // One save per form at a time: typing, leaving the box (change) and the button can all ask
  // within a second; a request while one is in flight is queued, and the latest answer wins.
  function save(form) {
    clearTimeout(form.typingTimer);
    form.typingTimer = null;
    form.dataset.dirty = "";
    if (form.saving) { form.saveAgain = true; return; }
    form.saving = true;
    var status = form.querySelector(".save-status");
    var data = new FormData(form);
    pending += 1;
    status.textContent = "Saving…";
    fetch(form.action, {
      method: "POST",
      body: data,
      headers: { "Accept": "application/json" },
      credentials: "same-origin",
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (result) {
      if (form.saveAgain) return;  // a newer answer is about to be sent; say nothing yet
      status.textContent = result.ok ? "Saved" : result.body.message;
      status.classList.toggle("error-text", !result.ok);
      if (result.ok) {
        var link = document.getElementById("map-" + form.dataset.position);
        if (link) link.classList.add("answered");
      }
      if (result.body.finished) window.location.reload();
    }).catch(function () {
      status.textContent = "Not saved: check your connection, then press Save answer.";
      status.classList.add("error-text");
    }).finally(function () {
      pending -= 1;
      form.saving = false;
      if (form.saveAgain) { form.saveAgain = false; save(form); }
    });
  }

  document.querySelectorAll("form.autosave").forEach(function (form) {
    form.addEventListener("change", function () { save(form); });
    form.addEventListener("input", function (event) {
      if (event.target.tagName === "TEXTAREA" || event.target.type === "text" || !event.target.type || event.target.inputMode) {
        form.dataset.dirty = "1";
        clearTimeout(form.typingTimer);
        form.typingTimer = setTimeout(function () { save(form); }, 800);
      }
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); save(form); });
  });

  // Finish waits for answers still on their way: otherwise the finish can reach the server
  // first and the last answer is refused as "attempt ended".
  var finishForm = document.getElementById("finish-form");
  if (finishForm) {
    finishForm.addEventListener("submit", function (event) {
      var typing = Array.prototype.filter.call(document.querySelectorAll("form.autosave"), function (form) {
        return form.typingTimer && !form.saving && form.dataset.dirty === "1";
      });
      typing.forEach(function (form) { save(form); });
      if (pending === 0) return;
      event.preventDefault();
      var button = finishForm.querySelector("button");
      if (button) button.disabled = true;
      (function submitWhenSaved() {
        if (pending > 0) return setTimeout(submitWhenSaved, 100);
        finishForm.submit();
      })();
    });
  }

  tick();
  setInterval(tick, 1000);
})();
