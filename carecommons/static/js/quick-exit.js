/* "Exit this page", after the GOV.UK Design System component: the link works without JavaScript;
   with it, leaving replaces this page in the history (Back does not return to it), and pressing
   Shift three times within five seconds leaves from anywhere on the page. */
(function () {
  "use strict";
  var container = document.querySelector("[data-quick-exit]");
  if (!container) { return; }
  var button = container.querySelector("[data-quick-exit-button]");
  var status = container.querySelector("[data-quick-exit-status]");
  var presses = 0;
  var timer = null;

  function leave() {
    document.body.classList.add("quick-exit-leaving");
    if (status) { status.textContent = "Leaving this page."; }
    window.location.replace(button.href);
  }

  function reset() {
    presses = 0;
    timer = null;
    if (status) { status.textContent = ""; }
  }

  button.addEventListener("click", function (event) {
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) { return; }
    event.preventDefault();
    leave();
  });

  document.addEventListener("keyup", function (event) {
    if (event.key !== "Shift") { presses = 0; return; }
    presses += 1;
    if (timer) { window.clearTimeout(timer); }
    if (presses >= 3) { leave(); return; }
    timer = window.setTimeout(reset, 5000);
    if (status) {
      status.textContent = "Shift, press " + (3 - presses) + " more time" + (presses === 2 ? "" : "s") + " to exit.";
    }
  });
})();
