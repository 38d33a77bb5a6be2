/* Uploading many photos at once, with progress per file. Each file goes in a request of its own,
   so that one refused or failed file does not sink the others; the server checks each one and
   says why it refused it. Without this script the form is a normal multi-file post. */
(function () {
  "use strict";
  var form = document.querySelector("[data-album-upload]");
  if (!form || !window.FormData || !window.XMLHttpRequest) return;
  var input = form.querySelector("input[type=file]");
  var button = document.getElementById("upload-button");
  var list = document.getElementById("upload-list");
  var summary = document.getElementById("upload-summary");
  var done = document.getElementById("upload-done");
  var texts = JSON.parse(document.getElementById("upload-texts").textContent);
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var PARALLEL = 2;

  function item(file) {
    var li = document.createElement("li");
    li.className = "upload-item";
    var name = document.createElement("span");
    name.className = "upload-item__name";
    name.textContent = file.name;
    var status = document.createElement("span");
    status.className = "upload-item__status";
    status.textContent = texts.waiting;
    var bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    li.append(name, status, bar);
    list.append(li);
    return { li: li, status: status, bar: bar };
  }

  function finish(view, ok, message) {
    view.li.classList.add(ok ? "upload-item--ok" : "upload-item--refused");
    view.bar.value = 100;
    view.bar.hidden = true;
    view.status.textContent = message;
  }

  function send(file, view) {
    return new Promise(function (resolve) {
      var data = new FormData();
      data.append("csrfmiddlewaretoken", token);
      data.append("files", file, file.name);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.setRequestHeader("X-CSRFToken", token);
      xhr.upload.addEventListener("progress", function (event) {
        if (event.lengthComputable) view.bar.value = Math.round((event.loaded / event.total) * 95);
      });
      view.status.textContent = texts.uploading;
      xhr.addEventListener("load", function () {
        var body = null;
        try { body = JSON.parse(xhr.responseText); } catch (error) { body = null; }
        if (body && body.accepted && body.accepted.length) {
          finish(view, true, texts.added);
          resolve(true);
        } else if (body && body.refused && body.refused.length) {
          finish(view, false, body.refused.map(function (r) { return r.reason; }).join(" "));
          resolve(false);
        } else {
          finish(view, false, texts.failed);
          resolve(false);
        }
      });
      xhr.addEventListener("error", function () { finish(view, false, texts.failed); resolve(false); });
      xhr.addEventListener("abort", function () { finish(view, false, texts.failed); resolve(false); });
      xhr.send(data);
    });
  }

  form.addEventListener("submit", function (event) {
    var files = Array.prototype.slice.call(input.files || []);
    if (!files.length) return; // the server says a file is needed
    event.preventDefault();
    button.disabled = true;
    list.textContent = "";
    summary.hidden = true;
    done.hidden = true;
    var jobs = files.map(function (file) { return { file: file, view: item(file) }; });
    var next = 0, added = 0, finished = 0;
    function worker() {
      if (next >= jobs.length) return Promise.resolve();
      var job = jobs[next++];
      return send(job.file, job.view).then(function (ok) {
        finished += 1;
        if (ok) added += 1;
        return worker();
      });
    }
    var workers = [];
    for (var i = 0; i < Math.min(PARALLEL, jobs.length); i++) workers.push(worker());
    Promise.all(workers).then(function () {
      summary.textContent = texts.summary.replace("%(added)s", added).replace("%(total)s", finished);
      summary.hidden = false;
      done.hidden = false;
      button.disabled = false;
      input.value = "";
    });
  });
})();
