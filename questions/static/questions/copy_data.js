// Exercise data: "Copy as CSV" and "Copy as Python" copy the hidden text the server made from
// the same table the page shows. Without a clipboard (or JavaScript) the buttons stay hidden
// and the table itself can be selected by hand.
(function () {
  "use strict";
  if (!navigator.clipboard) return;
  document.querySelectorAll("button.copy-data-button").forEach(function (button) {
    var source = document.getElementById(button.dataset.copy);
    if (!source) return;
    var label = button.textContent;
    var status = button.parentNode.querySelector(".copy-data-status");
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.textContent).then(function () {
        button.textContent = "Copied";
        if (status) status.textContent = label.replace("Copy as ", "") + " copied to the clipboard.";
        setTimeout(function () { button.textContent = label; }, 2000);
      }, function () {
        if (status) status.textContent = "The browser refused the clipboard; select the table instead.";
      });
    });
  });
})();
