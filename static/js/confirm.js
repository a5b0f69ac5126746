// Forms that ask before they destroy something: <form data-confirm="Delete this run?">.
// A listener in a static file rather than an inline onsubmit, which our Content-Security-Policy
// forbids.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    const form = event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });
})();
