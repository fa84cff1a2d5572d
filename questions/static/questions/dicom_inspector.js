// The DICOM inspector: re-window an uploaded file without choosing it again.
// A normal submit reloads the page, which empties the file input; instead the form is
// posted from here, with the file still chosen, and only the result is swapped in.
// Nothing is kept on the server: the file travels with every request.
(function () {
  "use strict";
  var form = document.querySelector("form[data-keep-file]");
  if (!form || !window.fetch || !window.FormData || !window.DOMParser) return;
  form.addEventListener("submit", function (event) {
    var file = form.querySelector("input[type=file]");
    if (!file || !file.files.length) return; // let the browser say the file is missing
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var fresh = page.getElementById("inspection");
        var errors = page.querySelector("#inspector-form .error");
        var old = form.querySelector(".error");
        if (old) old.remove();
        if (errors) button.before(errors);
        if (fresh) document.getElementById("inspection").replaceWith(fresh);
      })
      .catch(function () { form.submit(); })
      .finally(function () { button.disabled = false; });
  });
})();
