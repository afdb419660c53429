// The service worker that keeps the week form working without a connection (BMET shops are often in basements).
// It keeps a copy of each week form the apprentice opens, serves that copy when the network is gone, and keeps a week
// posted without a connection in the outbox (js/hours-outbox.js) for the pages to send later. Everything else goes
// to the network untouched; without JavaScript none of this is installed and the form works as it always has.
importScripts('/js/hours-outbox.js');

var PAGES = 'bmet-week-pages-v1';
var ASSETS = 'bmet-assets-v1';
var ASSET_PATHS = ['/css/app.css', '/js/hours-outbox.js', '/js/offline-hours.js'];
var WEEK_FORM = /^\/apprentices\/[^/]+\/hours\/week$/;

self.addEventListener('install', function (event) {
  event.waitUntil(caches.open(ASSETS).then(function (cache) { return cache.addAll(ASSET_PATHS); })
    .then(function () { return self.skipWaiting(); }));
});

self.addEventListener('activate', function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) { return name !== PAGES && name !== ASSETS; })
      .map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

// One copy per week (the form's address with its start day), and the latest week opened for when the week asked
// for was never opened on this device.
function pageKey(url) {
  var start = url.searchParams.get('start');
  return url.origin + url.pathname + (start ? '?start=' + encodeURIComponent(start) : '');
}

function latestKey(url) { return url.origin + url.pathname + '?latest'; }

function keepPage(url, response) {
  if (response.status !== 200 || response.type !== 'basic' || response.redirected) return Promise.resolve();
  return caches.open(PAGES).then(function (cache) {
    return Promise.all([cache.put(pageKey(url), response.clone()), cache.put(latestKey(url), response.clone())]);
  });
}

function offlinePage() {
  var html = '<!doctype html><html lang="en"><head><meta charset="utf-8">'
    + '<meta name="viewport" content="width=device-width, initial-scale=1">'
    + '<title>No connection · BMET Apprenticeship</title><link rel="stylesheet" href="/css/app.css"></head>'
    + '<body><main id="main" class="wrap"><h1>No connection</h1>'
    + '<p>This week form was never opened on this device while online, so it cannot be shown now. '
    + 'Open the week form once with a connection; after that it works without one.</p></main></body></html>';
  return new Response(html, { status: 503, headers: { 'Content-Type': 'text/html; charset=utf-8' } });
}

// The saved copy of a week form: the one for that week, else the latest one opened, else the "no connection" page.
function savedWeekForm(url) {
  return caches.open(PAGES).then(function (cache) {
    return cache.match(pageKey(url), { ignoreVary: true }).then(function (page) {
      return page || cache.match(latestKey(url), { ignoreVary: true });
    });
  });
}

// The network first, so the form shows what is logged; without an answer, the saved copy. A connection that hangs
// (one bar in a stairwell) gets the saved copy after a few seconds, while the answer, when it comes, is still kept.
var SLOW_NETWORK_MS = 5000;

function weekForm(request) {
  var url = new URL(request.url);
  var network = fetch(request).then(function (response) {
    return keepPage(url, response).then(function () { return response; });
  });
  network.catch(function () {});  // answered below, by the race or the saved copy
  var slow = new Promise(function (resolve) { setTimeout(resolve, SLOW_NETWORK_MS); }).then(function () {
    return savedWeekForm(url).then(function (page) { return page || network; });
  });
  return Promise.race([network, slow]).catch(function () {
    return savedWeekForm(url).then(function (page) { return page || offlinePage(); });
  });
}

// A week form posted: sent to the server as it is; without an answer, kept on the device, and the apprentice is shown
// the week again with what is waiting. A week the server stored is marked sent, so its key is never used again here.
function postWeek(request) {
  var url = new URL(request.url);
  return request.clone().text().then(function (body) {
    return HoursOutbox.post(url.pathname, body).then(function (result) {
      if (result.outcome === 'offline') {
        return HoursOutbox.keep(HoursOutbox.itemFrom(url.pathname, body)).then(function (item) {
          var back = url.pathname + '?start=' + encodeURIComponent(item.weekStart) + '&queued=' + encodeURIComponent(item.clientKey);
          return Response.redirect(new URL(back, url.origin).href, 303);
        });
      }
      if (result.outcome === 'sign-in' || result.outcome === 'failed') {
        // The session ended or the server failed: nothing was stored, so the week waits here instead of being lost.
        var item = HoursOutbox.itemFrom(url.pathname, body);
        item.message = result.outcome === 'sign-in' ? 'Sign in again to send this week.' : 'The server could not take this week; it will be sent again.';
        return HoursOutbox.keep(item).then(function () { return result.response.redirected ? Response.redirect(result.response.url, 303) : result.response; });
      }
      var key = new URLSearchParams(body).get('clientKey');
      var done = result.outcome === 'sent' && key ? HoursOutbox.markSent(key) : Promise.resolve();
      return done.then(function () {
        // A navigation cannot take an answer that was reached through a redirect: send the browser there itself.
        if (result.response.redirected) return Response.redirect(result.response.url, 303);
        return result.response;
      });
    });
  });
}

function asset(request) {
  return fetch(request).then(function (response) {
    if (response.ok) {
      var copy = response.clone();
      caches.open(ASSETS).then(function (cache) { cache.put(request, copy); });
    }
    return response;
  }, function () { return caches.match(request, { ignoreVary: true }); });
}

self.addEventListener('fetch', function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === 'POST') {
    // Signing out takes the saved pages (personal data) off the device; waiting hours stay until they are sent.
    if (url.pathname === '/logout') event.waitUntil(caches.delete(PAGES));
    else if (request.mode === 'navigate' && WEEK_FORM.test(url.pathname)) event.respondWith(postWeek(request));
    return;
  }
  if (request.method !== 'GET') return;
  if (request.mode === 'navigate' && WEEK_FORM.test(url.pathname)) event.respondWith(weekForm(request));
  else if (ASSET_PATHS.indexOf(url.pathname) >= 0) event.respondWith(asset(request));
});

// A page opened before this worker controlled it asks for its copy to be kept.
self.addEventListener('message', function (event) {
  var data = event.data || {};
  if (data.type !== 'keep-week-form') return;
  var url = new URL(data.url, self.location.origin);
  if (url.origin !== self.location.origin || !WEEK_FORM.test(url.pathname)) return;
  event.waitUntil(fetch(url.href, { credentials: 'same-origin' }).then(function (response) {
    return keepPage(url, response);
  }, function () {}));
});
