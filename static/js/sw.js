/* Merchant Incubator service worker, served at /sw.js by incubator/pwa.py, which writes VERSION,
   PRECACHE, NEVER_STORED, STATIC_PREFIX, MEDIA_PREFIX, LOGIN_PATH, QUEUE_FIELD, PERSON_FIELD and
   the PERSON_HEADER, REPLAY_HEADER and REPLAY_PERSON_HEADER names above this text.

   - The shell (offline page, stylesheet, script, icon) is stored at install.
   - Pages: network first; a copy of each page opened is kept, and shown when the network fails
     (or is slower than NETWORK_TIMEOUT and a copy exists). Never the private pages
     (settings.PRIVATE_PATH_PREFIXES: /me/, /mentor/, accounts, admin), nor anything no-store.
   - A shared phone: every page names the person it was made for (PERSON_HEADER, an opaque
     marker, "" for nobody). The copies, the images, the videos and the outbox belong to one
     person at a time; a page for anyone else (another person signed in, or the session ended)
     drops them all first. A queued request keeps the marker of the page it came from and is
     sent only for that person (the server refuses it for anyone else, too).
   - Static files (hashed names): cache first. Image renditions: cache first, kept once seen.
   - Videos: stored when played (the page asks), then served from the copy, with byte ranges.
   - A form POST marked for the outbox (a lesson marked as read) that fails for want of a network
     is kept in IndexedDB and sent again when a page says the connection is back; so is the
     opening of a lesson read from its copy (`data-offline-progress`). The server keeps one
     progress row per person and lesson, so a second delivery counts once. */
"use strict";

const SHELL = "shell-" + VERSION;
const STATIC = "static-v1";
const PAGES = "pages-v1";
const MEDIA = "media-v1";
const VIDEO = "video-v1";
const OFFLINE_URL = PRECACHE[0];
const MAX_PAGES = 60;
const MAX_MEDIA = 200;
const MAX_VIDEOS = 4;
const NETWORK_TIMEOUT = 8000;
const OUTBOX_MAX_AGE = 30 * 24 * 3600 * 1000;
const PERSON = "person-v1";
const PERSON_KEY = "/sw-person";

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(SHELL)
      .then((cache) => cache.addAll(PRECACHE.map((url) => new Request(url, { cache: "reload" }))))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith("shell-") && n !== SHELL).map((n) => caches.delete(n))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && request.mode === "navigate") {
    event.respondWith(postNavigation(request));
    return;
  }
  if (request.method !== "GET" || url.pathname.startsWith("/admin/")) return;
  if (request.mode === "navigate") {
    event.respondWith(page(event));
  } else if (url.pathname.startsWith(STATIC_PREFIX)) {
    event.respondWith(cacheFirst(request, STATIC, 0));
  } else if (url.pathname.startsWith(MEDIA_PREFIX + "images/")) {
    event.respondWith(image(request));
  } else if (url.pathname.startsWith(MEDIA_PREFIX)) {
    event.respondWith(video(request));
  }
});

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "replay") {
    // The page names who it was made for: their outbox is sent, anyone else's dropped.
    event.waitUntil(claimFor(data.person).then(() => replayOutbox(data.csrf, data.person)));
  } else if (data.type === "store") {
    event.waitUntil(store(data.page, data.images || []));
  } else if (data.type === "store-video") {
    event.waitUntil(storeVideo(data.url));
  } else if (data.type === "forget") {
    // Someone signs out: their pages and queued progress must not stay on a shared phone.
    claims = claims.then(forget).catch(() => {});
    event.waitUntil(claims);
  }
});

self.addEventListener("sync", (event) => {
  if (event.tag === "outbox") event.waitUntil(storedPerson().then((person) => replayOutbox(undefined, person)));
});

/* Whose copies these are. */

function forget() {
  return Promise.all([PAGES, MEDIA, VIDEO, PERSON].map((n) => caches.delete(n)).concat([outboxClear()]));
}

function personOf(response) {
  return response.headers.get(PERSON_HEADER); // null: a page that names nobody, or not ours
}

async function storedPerson() {
  const response = await caches.match(PERSON_KEY, { cacheName: PERSON });
  return response ? response.text() : null;
}

let claims = Promise.resolve();

function claimFor(person) {
  // One at a time, so that a page arriving during a wipe is stored after it, not lost in it.
  if (typeof person !== "string") return claims;
  claims = claims.then(() => switchTo(person)).catch(() => {});
  return claims;
}

async function switchTo(person) {
  if ((await storedPerson()) === person) return;
  // A page for someone else than the one whose copies are kept (or copies of unknown owner).
  await forget();
  await (await caches.open(PERSON)).put(PERSON_KEY, new Response(person));
}

function storable(request, response) {
  const path = new URL(request.url).pathname;
  const type = response.headers.get("Content-Type") || "";
  const control = response.headers.get("Cache-Control") || "";
  return response.status === 200 && response.type === "basic" && !response.redirected &&
    type.startsWith("text/html") && !control.includes("no-store") && personOf(response) !== null &&
    !NEVER_STORED.some((prefix) => path.startsWith(prefix));
}

async function trim(name, max) {
  const cache = await caches.open(name);
  const keys = await cache.keys();
  // A put moves its entry to the end, so the first entries are the least recently fetched.
  await Promise.all(keys.slice(0, Math.max(0, keys.length - max)).map((key) => cache.delete(key)));
}

async function putPage(request, response) {
  const cache = await caches.open(PAGES);
  await cache.put(request.url, response);
  await trim(PAGES, MAX_PAGES);
}

async function page(event) {
  const request = event.request;
  const network = fetch(request).then((response) => {
    // Whoever the page is for now (a redirect to the login page says: nobody) owns the copies.
    const copy = storable(request, response) ? response.clone() : null;
    event.waitUntil(claimFor(personOf(response)).then(() => copy && putPage(request, copy)));
    return response;
  });
  network.catch(() => {});
  const cached = await ownCopy(request.url);
  try {
    if (!cached) return await network;
    // On a weak signal, a stored copy now beats a fresh page in a minute; the fresh one is
    // still stored when it arrives.
    const timeout = new Promise((resolve) => setTimeout(() => resolve(cached), NETWORK_TIMEOUT));
    return await Promise.race([network, timeout]);
  } catch (error) {
    if (!cached) return offlinePage();
    event.waitUntil(noteOfflineRead(request.url, cached.clone()));
    return cached;
  }
}

async function ownCopy(url) {
  // Belt and braces: a copy is shown only to the person it was stored for.
  const cached = await caches.match(url, { cacheName: PAGES, ignoreVary: true });
  return cached && personOf(cached) === (await storedPerson()) ? cached : undefined;
}

async function noteOfflineRead(href, response) {
  const url = href.split("#")[0];
  // A page that records progress when it is opened (a lesson: `data-offline-progress`) and was
  // read from the copy is opened again once the connection returns, so the reading counts, for
  // the person the copy was stored for.
  const person = personOf(response);
  if ((await response.text()).includes("data-offline-progress")) await outboxAdd(url, "", "GET", person);
}

async function offlinePage() {
  const response = await caches.match(OFFLINE_URL, { cacheName: SHELL });
  return response || Response.error();
}

async function cacheFirst(request, name, max) {
  const cached = await caches.match(request, { cacheName: name, ignoreVary: true });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.status === 200 && response.type === "basic") {
    const copy = response.clone();
    caches.open(name).then((cache) => cache.put(request, copy)).then(() => max && trim(name, max));
  }
  return response;
}

async function image(request) {
  try {
    return await cacheFirst(request, MEDIA, MAX_MEDIA);
  } catch (error) {
    // Offline and this size was never fetched: any stored rendition of the same image will do
    // (the <img> has its width and height, so nothing moves). Renditions are named
    // "<original>.<filter spec>.<ext>".
    const path = new URL(request.url).pathname;
    const stem = path.slice(0, path.indexOf(".", path.lastIndexOf("/")) + 1);
    const cache = await caches.open(MEDIA);
    const key = (await cache.keys()).find((k) => new URL(k.url).pathname.startsWith(stem));
    return key ? cache.match(key) : Response.error();
  }
}

async function video(request) {
  const cached = await caches.match(request.url, { cacheName: VIDEO, ignoreVary: true });
  if (!cached) return fetch(request);
  const range = request.headers.get("Range");
  return range ? rangeOf(cached, range) : cached;
}

async function rangeOf(response, header) {
  const blob = await response.blob();
  const size = blob.size;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return new Response(blob, { status: 200, headers: response.headers });
  let start = match[1] === "" ? null : Number(match[1]);
  let end = match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start === null) {
    start = Math.max(0, size - Number(match[2]));
    end = size - 1;
  }
  if (start >= size || start > end) {
    return new Response("", { status: 416, headers: { "Content-Range": `bytes */${size}` } });
  }
  const part = blob.slice(start, end + 1);
  return new Response(part, {
    status: 206,
    headers: {
      "Content-Type": response.headers.get("Content-Type") || "video/mp4",
      "Content-Range": `bytes ${start}-${end}/${size}`,
      "Content-Length": String(part.size),
      "Accept-Ranges": "bytes",
    },
  });
}

function sameOrigin(href) {
  try {
    const url = new URL(href, self.location.href);
    return url.origin === self.location.origin ? url : null;
  } catch (error) {
    return null;
  }
}

async function store(pageUrl, images) {
  // The first page of a visit is loaded before this worker controls it: store it on request.
  const target = pageUrl && sameOrigin(pageUrl);
  if (target) {
    try {
      const request = new Request(target.href, { credentials: "same-origin" });
      const response = await fetch(request);
      await claimFor(personOf(response));
      if (storable(request, response)) await putPage(request, response);
    } catch (error) { /* offline again: nothing to store */ }
  }
  const media = await caches.open(MEDIA);
  for (const href of images) {
    const url = sameOrigin(href);
    if (!url || !url.pathname.startsWith(MEDIA_PREFIX + "images/") || (await media.match(url.href))) continue;
    try {
      const response = await fetch(url.href);
      if (response.status === 200) await media.put(url.href, response);
    } catch (error) {
      break;
    }
  }
  await trim(MEDIA, MAX_MEDIA);
}

async function storeVideo(href) {
  const url = sameOrigin(href);
  if (!url || !url.pathname.startsWith(MEDIA_PREFIX)) return;
  const cache = await caches.open(VIDEO);
  if (await cache.match(url.href)) return;
  try {
    const response = await fetch(url.href);
    if (response.status === 200) {
      await cache.put(url.href, response);
      await trim(VIDEO, MAX_VIDEOS);
    }
  } catch (error) { /* the connection dropped: it is stored the next time it is played */ }
}

/* The outbox: form POSTs kept while offline, in IndexedDB. */

function outboxStore(mode, work) {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open("incubator-outbox", 1);
    open.onupgradeneeded = () => open.result.createObjectStore("requests", { keyPath: "id", autoIncrement: true });
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const tx = db.transaction("requests", mode);
      const result = work(tx.objectStore("requests"));
      tx.oncomplete = () => {
        db.close();
        resolve(result && "result" in result ? result.result : undefined);
      };
      tx.onerror = () => reject(tx.error);
    };
  });
}

const outboxAll = () => outboxStore("readonly", (store) => store.getAll());
const outboxDelete = (id) => outboxStore("readwrite", (store) => store.delete(id));
const outboxClear = () => outboxStore("readwrite", (store) => store.clear());

function withoutToken(body) {
  const params = new URLSearchParams(body);
  params.delete("csrfmiddlewaretoken");
  return params.toString();
}

async function outboxAdd(url, body, method, person) {
  const items = await outboxAll();
  const key = withoutToken(body);
  if (items.some((item) => item.url === url && item.method === method && item.person === person && withoutToken(item.body) === key)) return;
  await outboxStore("readwrite", (store) => store.add({ url, body, method, person, queuedAt: Date.now() }));
}

async function postNavigation(request) {
  const copy = request.clone();
  try {
    return await fetch(request);
  } catch (error) {
    const type = copy.headers.get("Content-Type") || "";
    const body = type.startsWith("application/x-www-form-urlencoded") ? await copy.text() : "";
    const params = new URLSearchParams(body);
    if (params.get(QUEUE_FIELD) === "1") {
      // The person of the page the form was on (app.js adds it), else whose copies these are.
      const person = params.has(PERSON_FIELD) ? params.get(PERSON_FIELD) : await storedPerson();
      await outboxAdd(request.url, body, "POST", person);
      if (self.registration.sync) self.registration.sync.register("outbox").catch(() => {});
      const back = sameOrigin(request.referrer || "/") || new URL("/", self.location.href);
      back.hash = "offline-saved";
      return Response.redirect(back.href, 303);
    }
    // Answers and submissions need the server: say so; the back button keeps what was typed.
    return offlinePage();
  }
}

let replaying = null;

function replayOutbox(csrf, person) {
  // Only for a known person: the page that asks names who is signed in now ("" for nobody).
  if (typeof person !== "string") return Promise.resolve();
  if (!replaying) replaying = sendOutbox(csrf, person).finally(() => { replaying = null; });
  return replaying;
}

async function sendOutbox(csrf, person) {
  const items = await outboxAll();
  let sent = 0;
  for (const item of items) {
    if (Date.now() - item.queuedAt > OUTBOX_MAX_AGE || item.person !== person) {
      // Too old, or queued by someone else: never sent for this person.
      await outboxDelete(item.id);
      continue;
    }
    const headers = { [REPLAY_HEADER]: "1", [REPLAY_PERSON_HEADER]: item.person };
    const init = { method: item.method, credentials: "same-origin", redirect: "follow", headers };
    if (init.method === "POST") {
      const params = new URLSearchParams(item.body);
      params.delete(QUEUE_FIELD);
      params.delete(PERSON_FIELD);
      // The token stored with the form may be stale (signing in rotates it): use the page's.
      if (csrf) params.set("csrfmiddlewaretoken", csrf);
      init.body = params;
    }
    let response;
    try {
      response = await fetch(item.url, init);
    } catch (error) {
      break;
    }
    const signedOut = new URL(response.url).pathname.startsWith(LOGIN_PATH);
    if (response.ok && !signedOut) {
      await outboxDelete(item.id);
      sent += 1;
    } else if (response.status >= 400 && response.status < 500 && response.status !== 403 && response.status !== 429) {
      // Refused for good (the lesson is gone, say): dropping it lets the others through.
      await outboxDelete(item.id);
    }
  }
  if (sent) {
    const clients = await self.clients.matchAll({ type: "window" });
    clients.forEach((client) => client.postMessage({ type: "outbox-sent", count: sent }));
  }
}
