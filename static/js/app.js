// Small behaviours around htmx: toasts fade out, and <body data-live> tells whether the live
// channel is up (tests and the CSS read it).
(function () {
  "use strict";
  const TOAST_MS = 8000;

  function expireToasts(root) {
    root.querySelectorAll(".toast:not([data-timer])").forEach(function (toast) {
      toast.dataset.timer = "1";
      setTimeout(function () { toast.remove(); }, TOAST_MS);
    });
  }

  document.addEventListener("htmx:oobAfterSwap", function () {
    expireToasts(document.getElementById("toasts"));
  });
  document.addEventListener("htmx:wsOpen", function () { document.body.dataset.live = "open"; });
  document.addEventListener("htmx:wsClose", function () { document.body.dataset.live = "closed"; });
})();
