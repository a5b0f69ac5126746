// Keyframes open full size in a dialog on this page (without script, the link opens the
// picture itself). Closed with its button, the Escape key or a tap beside the picture.
(function () {
  "use strict";
  const dialog = document.querySelector("[data-lightbox-dialog]");
  if (!dialog || typeof dialog.showModal !== "function") {
    return;
  }
  const picture = dialog.querySelector("img");
  document.addEventListener("click", function (event) {
    const link = event.target.closest("[data-lightbox]");
    if (!link) {
      return;
    }
    event.preventDefault();
    const thumbnail = link.querySelector("img");
    picture.src = link.href;
    picture.alt = thumbnail ? thumbnail.alt : "";
    dialog.showModal();
  });
  dialog.addEventListener("click", function (event) {
    if (event.target === dialog) {
      dialog.close();
    }
  });
})();
