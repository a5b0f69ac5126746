// Small behaviours around htmx: toasts fade out, and <body data-live> tells whether the live
// channel is up (tests and the CSS read it).
(function () {
  "use strict";
  const TOAST_MS = 8000;
  const RECONNECT_MAX_MS = 5000;

  // htmx's default backoff can wait a minute between attempts after a server restart; a
  // member should see their page live again within seconds. Jitter still spreads the herd.
  if (window.htmx) {
    htmx.config.wsReconnectDelay = function (retryCount) {
      const ceiling = Math.min(RECONNECT_MAX_MS, 500 * Math.pow(2, retryCount));
      return ceiling * (0.5 + Math.random() / 2);
    };
  }

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
