// Hours logged without a connection: installs the service worker (sw.js), shows what is waiting on this device, sends
// it when the connection is back, and puts a refused week back into its form with the server's messages.
// Progressive enhancement only: without JavaScript the week form posts to the server exactly as it always has.
(function () {
  'use strict';
  if (!('serviceWorker' in navigator) || !('indexedDB' in window) || !window.HoursOutbox) return;
  var outbox = window.HoursOutbox;
  var form = document.querySelector('form[data-offline-week]');
  var main = document.querySelector('main');
  var params = new URLSearchParams(location.search);
  var fieldNames = { date: 'Date', skillSetCode: 'Skill set', hours: 'Hours', description: 'What you did', skills: 'Skills', workOrder: 'Work order' };

  // A page the worker did not serve (the first visit, before it took over) was not kept: ask it to keep this one.
  // (A page can come under the worker's control after it loaded, so ask how this one was loaded, not who controls it.)
  var navigation = performance.getEntriesByType && performance.getEntriesByType('navigation')[0];
  var servedByWorker = Boolean(navigation && navigation.workerStart > 0);
  navigator.serviceWorker.register('/sw.js', { scope: '/' }).then(function () {
    if (!form || servedByWorker) return;
    return navigator.serviceWorker.ready.then(function (ready) {
      if (ready.active) ready.active.postMessage({ type: 'keep-week-form', url: location.href });
    });
  }).catch(function () {});

  // The panel: a status line (a live region, hidden while it has nothing to say) and the weeks waiting on this device.
  var panel = document.createElement('section');
  panel.className = 'outbox';
  panel.setAttribute('aria-labelledby', 'outbox-title');
  panel.hidden = true;
  var status = document.createElement('p');
  status.className = 'outbox-status';
  status.setAttribute('role', 'status');
  status.hidden = true;
  if (main) {
    var heading = main.querySelector('h1');
    if (heading && heading.parentNode === main) heading.after(panel); else main.prepend(panel);
    panel.before(status);
  }

  function say(text, link) {
    status.textContent = text;
    status.hidden = !text;
    if (link) {
      var anchor = document.createElement('a');
      anchor.href = link.href;
      anchor.textContent = link.text;
      status.append(' ', anchor);
    }
  }

  function rowOf(name) {
    var match = /^rows\[(\d+)\]\[(\w+)\]$/.exec(name);
    return match ? { index: match[1], field: match[2] } : null;
  }

  function dayOf(item, index) {
    return new URLSearchParams(item.body).get('rows[' + index + '][date]') || '';
  }

  function weekLink(item, extra) {
    return item.path + '?start=' + encodeURIComponent(item.weekStart) + (extra || '');
  }

  function render() {
    return outbox.all().then(function (items) {
      panel.textContent = '';
      panel.hidden = items.length === 0;
      if (!items.length) return;
      var title = document.createElement('h2');
      title.id = 'outbox-title';
      title.textContent = items.length === 1 ? 'A week waiting on this device' : items.length + ' weeks waiting on this device';
      var list = document.createElement('ul');
      list.className = 'outbox-list';
      items.sort(function (a, b) { return a.savedAt < b.savedAt ? -1 : 1; }).forEach(function (item) {
        var entry = document.createElement('li');
        entry.className = 'outbox-item outbox-' + item.state;
        var what = document.createElement('p');
        var days = item.rows.map(function (row) { return row.date + ': ' + row.hours + ' h'; }).join(', ');
        what.innerHTML = '<strong></strong> <span class="hint"></span>';
        what.querySelector('strong').textContent = 'Week of ' + item.weekStart;
        what.querySelector('.hint').textContent = days ? '(' + days + ')' : '(no hours)';
        entry.append(what);
        var state = document.createElement('p');
        if (item.state === 'refused') {
          state.className = 'field-error';
          state.textContent = 'Not stored: ' + item.message;
          entry.append(state);
          var reasons = Object.keys(item.fieldMessages || {});
          if (reasons.length) {
            var why = document.createElement('ul');
            reasons.forEach(function (name) {
              var row = rowOf(name);
              var line = document.createElement('li');
              line.textContent = (row ? dayOf(item, row.index) + ', ' + (fieldNames[row.field] || row.field) + ': ' : '') + item.fieldMessages[name];
              why.append(line);
            });
            entry.append(why);
          }
          var actions = document.createElement('p');
          actions.className = 'actions';
          var fix = document.createElement('a');
          fix.className = 'button';
          fix.href = weekLink(item, '&restore=' + encodeURIComponent(item.clientKey));
          fix.textContent = 'Fix this week in the form';
          var discard = document.createElement('button');
          discard.type = 'button';
          discard.className = 'button secondary';
          discard.textContent = 'Discard this week';
          discard.addEventListener('click', function () {
            if (!window.confirm('Discard the week of ' + item.weekStart + '? Its hours were never stored and will be gone from this device.')) return;
            outbox.remove(item.clientKey).then(render).then(function () { say('The week of ' + item.weekStart + ' was discarded.'); });
          });
          actions.append(fix, ' ', discard);
          entry.append(actions);
        } else {
          state.className = 'hint';
          state.textContent = (item.message || 'Waiting for a connection; it is sent by itself when one is back.')
            + ' Saved on this device ' + new Date(item.savedAt).toLocaleString() + '.';
          entry.append(state);
        }
        list.append(entry);
      });
      panel.append(title, list);
    }).catch(function () {});
  }

  var flushing = false;

  // Sends every waiting week, oldest first, each with a fresh CSRF token from its own week form.
  function flush() {
    if (flushing || !navigator.onLine) return Promise.resolve();
    flushing = true;
    var sent = [];
    return outbox.all().then(function (items) {
      var waiting = items.filter(function (item) { return item.state !== 'refused'; })
        .sort(function (a, b) { return a.savedAt < b.savedAt ? -1 : 1; });
      return waiting.reduce(function (previous, item) {
        return previous.then(function (go) { return go === false ? false : send(item, sent); });
      }, Promise.resolve(true));
    }).then(function () {
      flushing = false;
      return render();
    }, function () { flushing = false; return render(); }).then(function () {
      if (!sent.length) return;
      var path = sent[0].path.replace(/\/week$/, '');
      say((sent.length === 1 ? 'Sent: the week of ' + sent[0].weekStart : 'Sent: ' + sent.length + ' weeks')
        + '. It now waits for your mentor\'s approval.', { href: path, text: 'See your hours' });
    });
  }

  // One week; answers false when the rest cannot be sent now either (no connection, or signed out).
  function send(item, sent) {
    return fetch(weekLink(item), { credentials: 'same-origin' }).then(function (page) {
      if (new URL(page.url).pathname === '/login') return keepWaiting(item, 'Sign in again to send this week.', false);
      if (!page.ok) return keepWaiting(item, 'Sign in as the apprentice who logged this week to send it.', true);
      return page.text().then(function (html) {
        var token = new DOMParser().parseFromString(html, 'text/html').querySelector('input[name="_csrf"]');
        if (!token) return keepWaiting(item, 'The week form could not be opened; it will be sent again.', true);
        return outbox.post(item.path, outbox.withToken(item.body, token.value)).then(function (result) {
          if (result.outcome === 'sent') return outbox.markSent(item.clientKey).then(function () { sent.push(item); return true; });
          if (result.outcome === 'refused') {
            return result.response.text().then(function (answer) {
              var messages = outbox.messagesFrom(answer);
              item.state = 'refused';
              item.message = messages.message;
              item.fieldMessages = messages.fieldMessages;
              return outbox.put(item).then(function () { return true; });
            });
          }
          if (result.outcome === 'sign-in') return keepWaiting(item, 'Sign in again to send this week.', false);
          if (result.outcome === 'offline') return false;
          return keepWaiting(item, 'The server could not take this week; it will be sent again.', true);
        });
      });
    }, function () { return false; });
  }

  function keepWaiting(item, message, goOn) {
    item.message = message;
    return outbox.put(item).then(function () { return goOn; });
  }

  // A key already waiting or already stored belongs to another week: this copy of the form gets a new one.
  function freshKey() {
    var key = form.querySelector('input[name="clientKey"]');
    if (!key) return Promise.resolve();
    return Promise.all([outbox.get(key.value), outbox.wasSent(key.value)]).then(function (found) {
      if (found[0] || found[1]) key.value = outbox.newKey();
    });
  }

  // A refused week back in its form: the values it was sent with and the server's message by each field.
  function restore(key) {
    return outbox.get(key).then(function (item) {
      if (!item || item.state !== 'refused') return;
      var weekStart = form.querySelector('input[name="weekStart"]');
      if (!weekStart || weekStart.value !== item.weekStart) return;
      new URLSearchParams(item.body).forEach(function (value, name) {
        if (name === '_csrf') return;
        var field = form.elements.namedItem(name);
        if (field && 'value' in field) field.value = value;
      });
      Object.keys(item.fieldMessages || {}).forEach(function (name, index) {
        var field = form.elements.namedItem(name);
        if (!field || !field.id) return;
        var note = document.createElement('p');
        note.className = 'field-error';
        note.id = field.id + '-restored-error';
        note.textContent = item.fieldMessages[name];
        field.setAttribute('aria-invalid', 'true');
        field.setAttribute('aria-describedby', note.id);
        field.after(note);
        if (index === 0) field.focus();
      });
      var summary = document.createElement('p');
      summary.className = 'error-summary';
      summary.setAttribute('role', 'alert');
      summary.textContent = 'This week was not stored: ' + item.message + ' Fix it below and submit it again.';
      form.before(summary);
    });
  }

  function showConnection() {
    if (!form) return;
    var note = document.getElementById('offline-note');
    if (navigator.onLine) { if (note) note.remove(); return; }
    if (note) return;
    note = document.createElement('p');
    note.id = 'offline-note';
    note.className = 'notice';
    note.textContent = 'No connection. You can still fill in this week: it is kept on this device and sent when you are back online.';
    form.before(note);
  }

  var ready = form ? freshKey().then(function () {
    if (params.get('restore')) return restore(params.get('restore'));
  }) : Promise.resolve();

  ready.then(render).then(function () {
    if (params.get('queued')) say('Saved on this device. The week is sent when you are back online; nothing more to do.');
    showConnection();
    return flush();
  });

  window.addEventListener('online', function () { showConnection(); flush(); });
  window.addEventListener('offline', showConnection);
  // A page brought back from the browser's history keeps its old key: check it again.
  window.addEventListener('pageshow', function (event) { if (event.persisted && form) freshKey(); });
})();
