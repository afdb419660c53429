// The week forms waiting on this device to be sent, kept in IndexedDB and keyed by the form's client key, so a
// week saved without a connection survives reloads and is stored once however often it is sent (the server keeps the
// first submission of a key and answers a retry with it). Shared by the service worker, which keeps a week form
// posted without a connection, and the pages, which send what is waiting when the connection is back.
(function (scope) {
  'use strict';
  var DB_NAME = 'bmet-hours-outbox';
  var WAITING = 'weeks';
  var SENT = 'sent';

  function open() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        var db = request.result;
        if (!db.objectStoreNames.contains(WAITING)) db.createObjectStore(WAITING, { keyPath: 'clientKey' });
        // Keys already stored by the server: a page saved on the device still carries its key, and must not reuse it.
        if (!db.objectStoreNames.contains(SENT)) db.createObjectStore(SENT, { keyPath: 'clientKey' });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function run(stores, mode, action) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(stores, mode);
        var result;
        var request = action(tx);
        if (request) request.onsuccess = function () { result = request.result; };
        tx.oncomplete = function () { db.close(); resolve(result); };
        tx.onerror = function () { db.close(); reject(tx.error); };
        tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function newKey() {
    if (scope.crypto && scope.crypto.randomUUID) return scope.crypto.randomUUID();
    var bytes = new Uint8Array(16);
    scope.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join('');
  }

  // What a week form's body says, for the list of waiting weeks: its key, its week and the days with hours.
  function itemFrom(path, body) {
    var fields = new URLSearchParams(body);
    var days = {};
    fields.forEach(function (value, name) {
      var match = /^rows\[(\d+)\]\[(date|hours)\]$/.exec(name);
      if (!match) return;
      days[match[1]] = days[match[1]] || {};
      days[match[1]][match[2]] = value.trim();
    });
    var rows = Object.keys(days).sort().map(function (index) { return days[index]; })
      .filter(function (day) { return day.hours; });
    return {
      clientKey: fields.get('clientKey') || newKey(),
      path: path,
      weekStart: fields.get('weekStart') || '',
      body: body,
      rows: rows,
      savedAt: new Date().toISOString(),
      state: 'waiting',
      message: '',
      fieldMessages: {},
    };
  }

  function withKey(body, key) {
    var fields = new URLSearchParams(body);
    fields.set('clientKey', key);
    return fields.toString();
  }

  // The form's content without its CSRF token, which differs between two copies of the same page.
  function content(body) {
    var fields = new URLSearchParams(body);
    fields.delete('_csrf');
    return fields.toString();
  }

  function withToken(body, token) {
    var fields = new URLSearchParams(body);
    fields.set('_csrf', token);
    return fields.toString();
  }

  // Posts a week form and says how it went: "sent" (the server answered with the hours list), "refused" (the form came
  // back with messages), "sign-in" (the session is gone), "offline" (no answer at all) or "failed" (a server error).
  function post(path, body) {
    return fetch(path, {
      method: 'POST', body: body, credentials: 'same-origin', redirect: 'follow',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    }).then(function (response) {
      var landed = new URL(response.url);
      if (response.redirected && landed.pathname === path.replace(/\/week$/, '') && landed.searchParams.has('saved')) {
        return { outcome: 'sent', response: response };
      }
      if (landed.pathname === '/login') return { outcome: 'sign-in', response: response };
      if (response.status >= 400 && response.status < 500) return { outcome: 'refused', response: response };
      return { outcome: 'failed', response: response };
    }, function () { return { outcome: 'offline' }; });
  }

  // The messages of a refused form, read from the page the server sent back: one for the form and one by each field.
  function messagesFrom(html) {
    var doc = new DOMParser().parseFromString(html, 'text/html');
    var summary = doc.querySelector('.error-summary');
    var fields = {};
    doc.querySelectorAll('[aria-invalid="true"][name]').forEach(function (input) {
      var note = input.getAttribute('aria-describedby') && doc.getElementById(input.getAttribute('aria-describedby'));
      if (note) fields[input.getAttribute('name')] = note.textContent.trim();
    });
    return { message: summary ? summary.textContent.trim() : 'The week was refused.', fieldMessages: fields };
  }

  scope.HoursOutbox = {
    newKey: newKey,
    itemFrom: itemFrom,
    withKey: withKey,
    withToken: withToken,
    post: post,
    messagesFrom: messagesFrom,
    all: function () { return run([WAITING], 'readonly', function (tx) { return tx.objectStore(WAITING).getAll(); }); },
    get: function (key) { return run([WAITING], 'readonly', function (tx) { return tx.objectStore(WAITING).get(key); }); },
    put: function (item) { return run([WAITING], 'readwrite', function (tx) { return tx.objectStore(WAITING).put(item); }); },
    remove: function (key) { return run([WAITING], 'readwrite', function (tx) { return tx.objectStore(WAITING).delete(key); }); },
    wasSent: function (key) {
      return run([SENT], 'readonly', function (tx) { return tx.objectStore(SENT).get(key); }).then(Boolean);
    },
    // Stored by the server: out of the waiting list and into the sent keys, in one transaction.
    markSent: function (key) {
      return run([WAITING, SENT], 'readwrite', function (tx) {
        tx.objectStore(WAITING).delete(key);
        tx.objectStore(SENT).put({ clientKey: key, sentAt: new Date().toISOString() });
      });
    },
    // A week kept offline: a different week under a key already waiting gets a key of its own instead of replacing it.
    keep: function (item) {
      var outbox = this;
      return Promise.all([outbox.get(item.clientKey), outbox.wasSent(item.clientKey)]).then(function (found) {
        // A refused week stored nothing under its key, so its fixed version takes the key over.
        var other = found[0] && found[0].state !== 'refused' && content(found[0].body) !== content(item.body);
        var clash = other || found[1];
        if (clash) {
          item.clientKey = newKey();
          item.body = withKey(item.body, item.clientKey);
        }
        return outbox.put(item).then(function () { return item; });
      });
    },
  };
})(self);
