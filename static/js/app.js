/* Merchant Incubator: the site's one script, deferred and optional. Every task works without it;
   it only adds offline help (see docs/pages.md):
   - registers the service worker (/sw.js), so pages opened once can be read offline;
   - says when the phone is offline, and on forms marked `data-needs-network` (quiz answers,
     submissions) that they need a connection, holding the submit until it is back;
   - marks forms with `data-offline-queue` (a lesson marked as read) so that the service worker
     keeps them while offline and sends them when the connection returns;
   - stores the images inside `data-offline-save` and a video once played, for reading offline;
   - forgets the stored pages when someone signs out (`data-offline-forget` on the form);
   - tells the worker whose page this is (`<meta name="person">`, an opaque marker, "" for
     nobody), so that another person's copies and queued requests are dropped, never sent;
   - lists the pages stored on this phone where a page has `data-offline-list`. */
(function () {
  "use strict";
  var doc = document;
  var root = doc.documentElement;
  var texts = doc.getElementById("pwa-texts");
  var status = doc.getElementById("pwa-status");
  var sw = "serviceWorker" in navigator ? navigator.serviceWorker : null;
  var controlledAtLoad = !!(sw && sw.controller);
  var QUEUE_FIELD = "offline_queue";
  var PERSON_FIELD = "offline_person";
  var personMeta = doc.querySelector("meta[name=person]");
  // null on a page that names nobody (the offline page): it neither claims nor replays.
  var person = personMeta ? personMeta.getAttribute("content") || "" : null;

  function text(name) {
    return (texts && texts.getAttribute("data-" + name)) || "";
  }

  function say(message) {
    if (!status || !message) return;
    var p = doc.createElement("p");
    p.className = "alert alert-success";
    p.textContent = message;
    status.appendChild(p);
  }

  function csrfToken() {
    var input = doc.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function post(message) {
    if (sw && sw.controller) sw.controller.postMessage(message);
  }

  /* Online and offline. */
  function needsNetworkNote(form) {
    var note = form.previousElementSibling;
    if (note && note.classList.contains("needs-network-note")) return note;
    note = doc.createElement("p");
    note.className = "alert alert-warning needs-network-note";
    note.setAttribute("role", "status");
    note.textContent = form.getAttribute("data-needs-network") || text("needs-network");
    form.parentNode.insertBefore(note, form);
    return note;
  }

  function showConnection() {
    var offline = navigator.onLine === false;
    var banner = doc.getElementById("offline-note");
    if (banner) banner.hidden = !offline;
    root.classList.toggle("is-offline", offline);
    doc.querySelectorAll("form[data-needs-network]").forEach(function (form) {
      needsNetworkNote(form).hidden = !offline;
      form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]").forEach(function (button) {
        if (offline) {
          if (!button.disabled) button.setAttribute("data-offline-disabled", "");
          button.disabled = true;
        } else if (button.hasAttribute("data-offline-disabled")) {
          button.removeAttribute("data-offline-disabled");
          button.disabled = false;
        }
      });
    });
    if (!offline && person !== null) post({ type: "replay", csrf: csrfToken(), person: person });
  }

  doc.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.hasAttribute("data-needs-network") && navigator.onLine === false) {
      // Keep what was typed on the page and say why nothing was sent.
      event.preventDefault();
      needsNetworkNote(form).hidden = false;
    } else if (form.hasAttribute("data-offline-forget")) {
      post({ type: "forget" });
    }
  });

  function hidden(form, name, value) {
    if (form.querySelector("input[name=" + name + "]")) return;
    var input = doc.createElement("input");
    input.type = "hidden";
    input.name = name;
    input.value = value;
    form.appendChild(input);
  }

  doc.querySelectorAll("form[data-offline-queue]").forEach(function (form) {
    hidden(form, QUEUE_FIELD, "1");
    // What is queued belongs to the person whose page it was.
    if (person !== null) hidden(form, PERSON_FIELD, person);
  });

  window.addEventListener("online", showConnection);
  window.addEventListener("offline", showConnection);
  showConnection();

  if (location.hash === "#offline-saved") {
    say(text("saved"));
    history.replaceState(null, "", location.pathname + location.search);
  }

  /* The service worker. */
  function saveForOffline() {
    var saveData = navigator.connection && navigator.connection.saveData;
    var images = [];
    var scope = controlledAtLoad ? doc.querySelectorAll("[data-offline-save] img") : doc.images;
    Array.prototype.forEach.call(scope, function (img) {
      var src = img.currentSrc || img.src;
      if (src && (!saveData || img.complete)) images.push(src);
    });
    if (!controlledAtLoad || images.length) {
      post({ type: "store", page: controlledAtLoad ? null : location.href, images: images });
    }
  }

  if (sw && root.getAttribute("data-sw")) {
    sw.addEventListener("message", function (event) {
      var data = event.data || {};
      if (data.type === "outbox-sent") say(text("sent"));
    });
    window.addEventListener("load", function () {
      sw.register(root.getAttribute("data-sw"), { scope: "/" }).catch(function () {});
      sw.ready.then(function () {
        if (sw.controller) saveForOffline();
        else sw.addEventListener("controllerchange", saveForOffline, { once: true });
      });
    });
    doc.addEventListener("play", function (event) {
      var media = event.target;
      if (media.currentSrc) post({ type: "store-video", url: media.currentSrc });
    }, true);
  }

  /* The offline page lists what this phone has stored. */
  var list = doc.querySelector("[data-offline-list]");
  if (list && window.caches) {
    caches.open("pages-v1").then(function (cache) {
      return cache.keys().then(function (keys) {
        return Promise.all(keys.reverse().slice(0, 30).map(function (key) {
          return cache.match(key).then(function (response) { return response.text(); }).then(function (html) {
            var title = (/<title>([^<]*)<\/title>/.exec(html) || [])[1] || key.url;
            var decoded = new DOMParser().parseFromString(title.split(" · ")[0], "text/html").body.textContent;
            return { url: key.url, title: decoded };
          });
        }));
      });
    }).then(function (pages) {
      pages.forEach(function (item) {
        var li = doc.createElement("li");
        var a = doc.createElement("a");
        a.href = item.url;
        a.textContent = item.title;
        li.appendChild(a);
        list.appendChild(li);
      });
      if (pages.length) list.hidden = false;
      var none = doc.querySelector("[data-offline-none]");
      if (none) none.hidden = pages.length > 0;
    }).catch(function () {});
  }
})();
