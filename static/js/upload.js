// Uploads (FIT files, clips): one request per file so each file gets its own progress bar.
// The server answers with the job's row; the live channel then updates the row as it runs.
document.querySelectorAll("form.xhr-upload").forEach(function (form) {
  "use strict";
  const list = document.getElementById(form.dataset.list);
  const csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  const input = form.querySelector("input[type=file]");
  const maxBytes = Number(form.dataset.maxBytes || Infinity);

  function uploadOne(file) {
    const row = document.createElement("li");
    row.className = "job job-uploading";
    const name = document.createElement("span");
    name.className = "job-name";
    name.textContent = file.name;
    const bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    row.append(name, bar);
    list.prepend(row);

    function refuse(text) {
      row.className = "job job-failed";
      bar.replaceWith(Object.assign(document.createElement("span"), {className: "bad", textContent: text}));
    }
    // The server refuses it too, before reading; saying so here spares the wait.
    if (file.size > maxBytes) {
      refuse("too large: the limit is " + form.dataset.limit);
      return;
    }

    const xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("X-CSRFToken", csrf);
    xhr.setRequestHeader("HX-Request", "true");
    xhr.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) bar.value = Math.round((100 * e.loaded) / e.total);
    });
    xhr.addEventListener("load", function () {
      if (xhr.status === 200) {
        row.outerHTML = xhr.responseText;
        const fresh = list.querySelector(".job");
        htmx.process(fresh);
        // The import may have finished before this row existed: read its state once.
        if (fresh.dataset.state !== "done" && fresh.dataset.state !== "failed") {
          htmx.ajax("GET", "/jobs/" + fresh.id.replace("job-", "") + "/", {target: fresh, swap: "outerHTML"});
        }
      } else {
        refuse("upload refused: " + (xhr.responseText || xhr.statusText));
      }
    });
    xhr.addEventListener("error", function () {
      refuse("upload failed: network error");
    });
    const data = new FormData(form);
    data.set(input.name, file);
    xhr.send(data);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    Array.from(input.files).forEach(uploadOne);
    input.value = "";
  });
});
