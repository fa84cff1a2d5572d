// The quiz page: a countdown from the server's deadline, and answers saved as they are given.
// Without JavaScript the page still works: each question has its own "Save answer" button,
// Previous / Next save and move, and Finish shows the server's summary of what is unanswered.
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
  var ended = false;
  var leaving = false;  // a navigation this script started: nothing is left unsaved
  var forms = Array.prototype.slice.call(document.querySelectorAll("form.autosave"));
  // A failed save is sent again after 1 s, 2 s, 4 s … up to this, or at once when the
  // browser says it is back online.
  var MAX_BACKOFF = 30000;

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

  // Forms whose latest answer the server has not confirmed: typed and waiting for the pause,
  // in flight, or waiting to be sent again after a failure.
  function unsaved() {
    return forms.filter(function (form) { return form.unsaved || form.typingTimer; });
  }

  function setStatus(form, text, isError) {
    var status = form.querySelector(".save-status");
    status.textContent = text;
    status.classList.toggle("error-text", !!isError);
    form.classList.toggle("not-saved", !!form.unsaved);
  }

  function markAnswered(form) {
    var link = document.getElementById("map-" + form.dataset.position);
    if (!link) return;
    link.classList.add("answered");
    var state = link.querySelector(".map-state");
    if (state) state.textContent = state.textContent.replace("(not answered)", "(answered)");
  }

  // The latest answer of a form is sent at most once at a time; a change while one is in
  // flight is sent when it returns. Each send reads the form afresh, so a retry carries the
  // newest answer, and saving the same answer twice leaves one answer (the server replaces it).
  function save(form) {
    clearTimeout(form.typingTimer);
    form.typingTimer = null;
    form.unsaved = true;
    if (form.saving) { form.saveAgain = true; return; }
    if (form.retryTimer) { clearTimeout(form.retryTimer); form.retryTimer = null; }
    send(form);
  }

  function send(form) {
    form.saving = true;
    form.saveAgain = false;
    setStatus(form, "Not saved yet: saving…");
    fetch(form.action, {
      method: "POST",
      body: form.snapshot || new FormData(form),
      headers: { "Accept": "application/json" },
      credentials: "same-origin",
    }).then(function (response) {
      if (response.status >= 500 || response.status === 429) throw new Error("server " + response.status);
      return response.json().then(function (body) {
        return { ok: response.ok, body: body };
      }, function () {
        return { ok: false, body: { message: "Not saved (error " + response.status + "): reload the page and answer again." } };
      });
    }).then(function (result) {
      form.failures = 0;
      if (form.saveAgain) return;  // a newer answer is about to be sent; say nothing yet
      form.unsaved = false;  // saved, or refused for a reason a retry cannot change
      setStatus(form, result.ok ? "Saved" : "Not saved: " + result.body.message, !result.ok);
      if (result.ok) markAnswered(form);
      if (result.body.finished) { leaving = true; window.location.reload(); }
    }, function () {
      // No answer from the server (offline, a dropped connection, a server error): try again.
      if (form.saveAgain) return;
      form.failures = (form.failures || 0) + 1;
      var wait = Math.min(MAX_BACKOFF, 1000 * Math.pow(2, form.failures - 1));
      setStatus(form, "Not saved yet: no connection. Trying again in " + Math.round(wait / 1000) + " s…", true);
      form.retryTimer = setTimeout(function () { form.retryTimer = null; retry(form); }, wait);
    }).finally(function () {
      form.saving = false;
      if (form.saveAgain) send(form);
    });
  }

  function retry(form) {
    if (form.unsaved && !form.saving) send(form);
  }

  window.addEventListener("online", function () {
    forms.forEach(function (form) {
      if (form.retryTimer) { clearTimeout(form.retryTimer); form.retryTimer = null; retry(form); }
    });
  });

  // Leaving with answers the server has not confirmed asks first.
  window.addEventListener("beforeunload", function (event) {
    if (leaving || ended || unsaved().length === 0) return;
    event.preventDefault();
    event.returnValue = "";
  });

  // Send what is being typed now, wait until every answer has landed, then go on.
  function flushThen(note, proceed) {
    forms.forEach(function (form) { if (form.typingTimer) save(form); });
    (function wait() {
      var left = unsaved().length;
      if (left > 0) {
        if (note) {
          note.textContent = navigator.onLine
            ? "Saving " + left + " answer" + (left === 1 ? "" : "s") + " first…"
            : "Waiting for the connection to save " + left + " answer" + (left === 1 ? "" : "s") + "…";
        }
        return setTimeout(wait, 150);
      }
      leaving = true;
      proceed();
    })();
  }

  function timeUp() {
    ended = true;
    document.getElementById("timeup").hidden = false;
    // Answers still waiting keep what was given: disabled inputs would drop out of the form.
    unsaved().forEach(function (form) {
      clearTimeout(form.typingTimer);
      form.typingTimer = null;
      form.unsaved = true;
      form.snapshot = new FormData(form);
      if (!form.saving && !form.retryTimer) send(form);
    });
    document.querySelectorAll(".quiz-item input, .quiz-item textarea, .quiz-item button, #finish-form button")
      .forEach(function (el) { el.disabled = true; });
    // Let answers in flight land, then wait out the grace period: the server finishes the
    // attempt on the next read and shows the review. After the grace nothing more is
    // accepted, so only the connection is waited for.
    var waitUntil = Date.now() + grace + 500;
    (function reloadWhenDone() {
      if (Date.now() < waitUntil || !navigator.onLine) return setTimeout(reloadWhenDone, 250);
      leaving = true;
      // Open the review at its top, not where this page was scrolled to.
      if ("scrollRestoration" in history) history.scrollRestoration = "manual";
      window.location.replace(window.location.pathname);
    })();
  }

  forms.forEach(function (form) {
    form.addEventListener("change", function () { save(form); });
    form.addEventListener("input", function (event) {
      if (event.target.tagName === "TEXTAREA" || event.target.type === "text" || !event.target.type || event.target.inputMode) {
        form.unsaved = true;
        setStatus(form, "Not saved yet");
        clearTimeout(form.typingTimer);
        form.typingTimer = setTimeout(function () { save(form); }, 800);
      }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var go = event.submitter && event.submitter.name === "go" ? event.submitter.value : null;
      if (go === null) { save(form); return; }
      // Previous / Next: save what changed, and move once it has landed.
      flushThen(form.querySelector(".save-status"), function () {
        window.location.href = window.location.pathname + "?q=" + encodeURIComponent(go);
      });
    });
  });

  // One question at a time: the map's links and the layout switch leave this page, so they
  // wait for the answers on their way first.
  document.querySelectorAll(".question-map a[href^='?']").forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (unsaved().length === 0) return;
      event.preventDefault();
      flushThen(document.getElementById("finish-note"), function () { window.location.href = link.href; });
    });
  });
  document.querySelectorAll("form.flush-first").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (unsaved().length === 0) { leaving = true; return; }
      event.preventDefault();
      flushThen(document.getElementById("finish-note"), function () { form.submit(); });
    });
  });

  // Finish waits for answers still on their way: otherwise the finish can reach the server
  // first, the last answer is refused as "attempt ended", and the summary miscounts.
  var finishForm = document.getElementById("finish-form");
  if (finishForm) {
    finishForm.addEventListener("submit", function (event) {
      forms.forEach(function (form) { if (form.typingTimer) save(form); });
      if (unsaved().length === 0) { leaving = true; return; }
      event.preventDefault();
      var button = finishForm.querySelector("button");
      if (button) button.disabled = true;
      flushThen(document.getElementById("finish-note"), function () { finishForm.submit(); });
    });
  }

  tick();
  setInterval(tick, 1000);
})();
