// The page's side of the live channel, and toasts that fade out. <body data-live> tells whether
// the channel is up (tests and the CSS read it): connecting, joining (socket open, server still
// joining its groups), open, closed or ended. The server's first message on every (re)connect
// is the catch-up, sent once the socket is in its groups; then the page fires "live:ready",
// on which each live region re-reads itself, so no change can slip between the two.
(function () {
  "use strict";
  if (!window.htmx) {
    return;
  }
  const TOAST_MS = 8000;
  const RECONNECT_MAX_MS = 5000;
  const RECHECK_GAP_MS = 10000;
  const RECHECK_DELAY_MS = 1500;
  // Close codes of club/consumers.py.
  const SIGNED_OUT = 4401;
  const ACCOUNT_CLOSED = 4403;
  const SESSION_CHANGED = 4409;
  const INSERTS = ["beforebegin", "afterbegin", "beforeend", "afterend"];
  const body = document.body;

  // htmx's default backoff can wait a minute between attempts after a server restart; a
  // member should see their page live again within seconds. Jitter still spreads the herd.
  htmx.config.wsReconnectDelay = function (retryCount) {
    const ceiling = Math.min(RECONNECT_MAX_MS, 500 * Math.pow(2, retryCount));
    return ceiling * (0.5 + Math.random() / 2);
  };

  // Every (re)connect tells the server the newest notification this page has shown, and the
  // server answers with what came after it: nothing is lost while the socket was down.
  const openSocket = htmx.createWebSocket;
  if (openSocket) {
    htmx.createWebSocket = function (url) {
      const withCursor = new URL(url);
      withCursor.searchParams.set("after", body.dataset.notificationCursor || "0");
      return openSocket(withCursor.toString());
    };
  }

  function noteSeen(fragment) {
    fragment.querySelectorAll("[data-notification]").forEach(function (toast) {
      const id = Number(toast.dataset.notification);
      if (id > Number(body.dataset.notificationCursor || 0)) {
        body.dataset.notificationCursor = String(id);
      }
    });
  }

  function swapTarget(part, fromSocket) {
    // Over the socket every top-level element is out of band (the ws extension's rule).
    const spec = part.getAttribute("hx-swap-oob") || (fromSocket ? "true" : null);
    if (spec === null) {
      return null;
    }
    const colon = spec.indexOf(":");
    return {
      style: spec === "true" ? "outerHTML" : colon > 0 ? spec.slice(0, colon) : spec,
      selector: colon > 0 ? spec.slice(colon + 1) : part.id ? "#" + CSS.escape(part.id) : "",
    };
  }

  function present(selector) {
    try {
      return selector !== "" && document.querySelector(selector) !== null;
    } catch (error) {
      return true; // an htmx-only selector (closest, find...): htmx resolves it
    }
  }

  // One push serves every page, and a page has only some of its parts: a part whose target
  // this page lacks is dropped here (htmx would log htmx:oobErrorNoTarget), and an element
  // already on the page (a notification pushed and also caught up) is not inserted twice.
  function keepPartsThisPageHas(html, fromSocket) {
    if (html.indexOf("<") < 0 || /^\s*<(!doctype|html|body)/i.test(html)) {
      return html;
    }
    const template = document.createElement("template");
    template.innerHTML = html;
    noteSeen(template.content);
    let changed = false;
    Array.from(template.content.children).forEach(function (part) {
      const target = swapTarget(part, fromSocket);
      if (target === null) {
        return;
      }
      if (!present(target.selector)) {
        part.remove();
        changed = true;
      } else if (INSERTS.indexOf(target.style) >= 0) {
        Array.from(part.children).forEach(function (child) {
          if (child.id && document.getElementById(child.id)) {
            child.remove();
            changed = true;
          }
        });
      }
    });
    return changed ? template.innerHTML : html;
  }

  htmx.defineExtension("live-parts", {
    transformResponse: function (text, xhr) {
      return keepPartsThisPageHas(text, xhr === null);
    },
  });

  function expireToasts(root) {
    root.querySelectorAll(".toast:not([data-timer])").forEach(function (toast) {
      toast.dataset.timer = "1";
      setTimeout(function () { toast.remove(); }, TOAST_MS);
    });
  }

  function showEnded(code) {
    if (document.getElementById("live-ended")) {
      return;
    }
    const notice = document.createElement("div");
    notice.id = "live-ended";
    notice.className = "toast toast-ended";
    notice.setAttribute("role", "status");
    notice.dataset.timer = "never";
    if (code === ACCOUNT_CLOSED) {
      notice.textContent = "This account has been deleted.";
    } else {
      const link = document.createElement("a");
      link.href = body.dataset.loginUrl + "?next=" + encodeURIComponent(location.pathname);
      link.textContent = "Sign in again";
      notice.append("You are signed out, so this page no longer updates. ", link, ".");
    }
    document.getElementById("toasts").append(notice);
  }

  let lastRecheck = 0;
  document.addEventListener("htmx:wsClose", function (event) {
    const code = event.detail.event.code;
    body.dataset.live = "closed";
    if (code === SESSION_CHANGED && Date.now() - lastRecheck > RECHECK_GAP_MS) {
      // Reconnecting with the cookies as they are now shows whether we are still signed in.
      // Not at once: a password changed in another tab closes this socket before that tab's
      // answer has stored the renewed session cookie.
      lastRecheck = Date.now();
      const socket = event.detail.socketWrapper;
      setTimeout(function () { socket.reconnect(); }, RECHECK_DELAY_MS * (1 + Math.random()));
    } else if (code === SIGNED_OUT || code === ACCOUNT_CLOSED || code === SESSION_CHANGED) {
      body.dataset.live = "ended";
      showEnded(code);
    }
  });
  document.addEventListener("htmx:wsOpen", function () { body.dataset.live = "joining"; });
  document.addEventListener("htmx:wsAfterMessage", function () {
    if (body.dataset.live === "joining") {
      body.dataset.live = "open";
      htmx.trigger(body, "live:ready");
    }
  });
  document.addEventListener("htmx:oobAfterSwap", function () {
    expireToasts(document.getElementById("toasts"));
  });
})();
