// Advocate's own script; htmx does the rest. Everything here is an improvement on pages that
// work without it: the picker's arrow keys, offline quick-logs, the service worker.
(function () {
  "use strict";

  // --- After a nudge is marked done ("nudge-done", sent by the server in HX-Trigger), load
  // the quick-log prefilled for that person and kind, so logging it takes one tap.
  document.addEventListener("nudge-done", function (event) {
    var url = event.detail && event.detail.quickLogUrl;
    if (!url || !window.htmx || !document.getElementById("quick-log")) return;
    htmx.ajax("GET", url, { target: "#quick-log", swap: "outerHTML" }).then(function () {
      var heading = document.getElementById("quick-log-heading");
      if (!heading) return;
      var calm = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
      heading.scrollIntoView({ behavior: calm ? "auto" : "smooth", block: "start" });
      heading.focus({ preventScroll: true });
    });
  });

  // --- Sign-up: preset the time zone to this device's own, for the student to confirm.
  document.addEventListener("DOMContentLoaded", function () {
    var select = document.querySelector("select[data-detect-timezone]");
    if (!select || select.form.hasAttribute("data-bound") || !window.Intl) return;
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    var known = Array.prototype.some.call(select.options, function (o) { return o.value === zone; });
    if (known) select.value = zone;
  });

  // --- The picker as a combobox: ArrowDown/ArrowUp move through the matches, Enter takes
  // one and focus moves on to the next question, Escape closes the list.
  function options() {
    return Array.prototype.slice.call(document.querySelectorAll("#picker-results [role=option]"));
  }

  function activate(input, list, index) {
    list.forEach(function (option, i) {
      option.setAttribute("aria-selected", i === index ? "true" : "false");
      option.classList.toggle("is-active", i === index);
    });
    if (index >= 0) {
      input.setAttribute("aria-activedescendant", list[index].id);
      list[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  var choosing = false;

  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!input || input.id !== "id_contact_search") return;
    var list = options();
    var current = list.findIndex(function (o) { return o.getAttribute("aria-selected") === "true"; });
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!list.length) return;
      event.preventDefault();
      var step = event.key === "ArrowDown" ? 1 : -1;
      var next = current === -1 ? (step === 1 ? 0 : list.length - 1) : (current + step + list.length) % list.length;
      activate(input, list, next);
    } else if (event.key === "Enter") {
      // Never let Enter submit the form through the first match's button by accident.
      event.preventDefault();
      if (current >= 0) {
        choosing = true;
        list[current].click();
      } else if (list.length) {
        activate(input, list, 0);
      }
    } else if (event.key === "Escape") {
      activate(input, list, -1);
      var results = document.getElementById("picker-results");
      if (results) results.innerHTML = "";
      input.setAttribute("aria-expanded", "false");
    }
  });

  // A tap or click on an option is a choice too.
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("#picker-results [role=option]")) choosing = true;
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail && event.detail.target;
    var input = document.getElementById("id_contact_search");
    if (target && target.id === "picker-results" && input) {
      input.setAttribute("aria-expanded", options().length ? "true" : "false");
      input.removeAttribute("aria-activedescendant");
    }
    var picker = document.getElementById("contact-picker");
    if (!picker || !picker.isConnected || !target || target.id !== "contact-picker") return;
    if (input) {
      input.focus();  // "Change": back to the search box
    } else if (choosing) {
      // Chosen: on to the next question (a new person's role, else what happened).
      var next = picker.querySelector("input[type=radio]:checked") ||
        document.querySelector("#quick-log input[name=kind]:checked");
      if (next) next.focus();
    }
    choosing = false;
  });

  // --- A picker of several people (the Match Week story's callers): a match tapped joins the
  // list ([data-picker-chosen]), ticked; the search box empties for the next name. A person
  // added twice (a double tap) stays once.
  document.addEventListener("htmx:afterSettle", function (event) {
    var list = event.detail && event.detail.target;
    if (!list || !list.hasAttribute || !list.hasAttribute("data-picker-chosen")) return;
    var seen = {};
    Array.prototype.forEach.call(list.querySelectorAll("input[type=checkbox]"), function (box) {
      if (seen[box.value]) {
        seen[box.value].checked = true;
        box.closest("li").remove();
      } else {
        seen[box.value] = box;
      }
    });
    var results = document.getElementById("picker-results");
    if (results) results.innerHTML = "";
    var input = document.getElementById("id_contact_search");
    if (!input) return;
    input.value = "";
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    input.focus();
  });

  // --- Offline quick-logs: kept in IndexedDB, shown as "saved on this phone — will sync",
  // sent with their idempotency key when the connection returns (so a replay logs once).
  var DB_NAME = "advocate-offline";
  var STORE = "quick-logs";

  function withStore(mode, work) {
    return new Promise(function (resolve, reject) {
      if (!window.indexedDB) return reject(new Error("no IndexedDB"));
      var open = indexedDB.open(DB_NAME, 1);
      open.onupgradeneeded = function () { open.result.createObjectStore(STORE, { keyPath: "key" }); };
      open.onerror = function () { reject(open.error); };
      open.onsuccess = function () {
        var db = open.result;
        var tx = db.transaction(STORE, mode);
        var result = work(tx.objectStore(STORE));
        tx.oncomplete = function () { db.close(); resolve(result && result.result !== undefined ? result.result : result); };
        tx.onerror = function () { db.close(); reject(tx.error); };
      };
    });
  }

  function allEntries() {
    return withStore("readonly", function (store) { return store.getAll(); }).then(function (entries) {
      return (entries || []).sort(function (a, b) { return a.savedAt < b.savedAt ? -1 : 1; });
    });
  }

  function putEntry(entry) { return withStore("readwrite", function (store) { store.put(entry); }); }
  function deleteEntry(key) { return withStore("readwrite", function (store) { store.delete(key); }); }

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".replace(/[xy]/g, function (c) {
      var r = (Math.random() * 16) | 0;
      return (c === "x" ? r : (r & 0x3) | 0x8).toString(16);
    });
  }

  function entryFrom(form) {
    var fields = {};
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken" && typeof value === "string") fields[name] = value;
    });
    var label = "";
    var chosen = form.querySelector(".picker-chosen strong");
    if (fields.contact || fields.new_contact_name) {
      label = chosen ? chosen.textContent : fields.new_contact_name;
    } else if (fields.contact_search && fields.contact_search.trim()) {
      // No picker without a connection: a typed name is that person (an exact name is found,
      // anyone else is added, role not sure yet).
      fields.new_contact_name = fields.contact_search.trim();
      label = fields.new_contact_name;
    }
    if (!label) return null;
    if (!fields.client_key) fields.client_key = newKey();
    var kind = form.querySelector("input[name=kind]:checked");
    var kindLabel = kind && kind.parentNode.querySelector("span");
    return {
      key: fields.client_key,
      action: form.getAttribute("action"),
      fields: fields,
      label: label,
      kind: kindLabel ? kindLabel.textContent : "",
      savedAt: new Date().toISOString(),
      problem: "",
    };
  }

  // The one date style of the pages (crm/templatetags/advocate_dates.py): "Tue Dec 1, 2026".
  function longDate(iso) {
    var parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    if (!parts) return iso || "";
    var day = new Date(Date.UTC(+parts[1], +parts[2] - 1, +parts[3]));
    var weekday = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][day.getUTCDay()];
    var month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][day.getUTCMonth()];
    return weekday + " " + month + " " + day.getUTCDate() + ", " + day.getUTCFullYear();
  }

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function showPending() {
    var box = document.getElementById("quick-log-pending");
    if (!box) return Promise.resolve();
    return allEntries().then(function (entries) {
      box.textContent = "";
      box.hidden = entries.length === 0;
      if (!entries.length) return;
      box.appendChild(el("p", "Saved on this phone — will sync when you are back online.", "pending-title"));
      var list = el("ul", "", "list");
      entries.forEach(function (entry) {
        var item = el("li");
        item.appendChild(el("span", (entry.kind ? entry.kind + " with " : "") + entry.label, "row-title"));
        item.appendChild(el("span", " · " + longDate(entry.fields.date), "row-meta"));
        if (entry.problem) item.appendChild(el("p", "Not logged yet: " + entry.problem, "field-error"));
        list.appendChild(item);
      });
      box.appendChild(list);
    }).catch(function () {});
  }

  function keepOffline(form) {
    var entry = entryFrom(form);
    var box = document.getElementById("quick-log-pending");
    if (!entry) {
      if (box) { box.hidden = false; box.textContent = "Who was it? Type a name first."; }
      return;
    }
    putEntry(entry).then(function () {
      // A fresh key for the next entry; what was typed is cleared, the person stays chosen.
      var key = form.querySelector("input[name=client_key]");
      if (key) key.value = newKey();
      var summary = form.querySelector("input[name=summary]");
      if (summary) summary.value = "";
      return showPending();
    }).then(function () {
      var heading = document.getElementById("quick-log-heading");
      if (heading) heading.focus();
    });
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  var syncing = false;

  function sync() {
    if (syncing || navigator.onLine === false || !document.getElementById("quick-log")) return Promise.resolve();
    syncing = true;
    var sent = 0;
    return allEntries().then(function (entries) {
      return entries.reduce(function (chain, entry) {
        return chain.then(function (stop) {
          if (stop) return true;
          return fetch(entry.action, {
            method: "POST",
            credentials: "same-origin",
            headers: { "X-CSRFToken": csrfToken(), "X-Advocate-Sync": "1" },
            body: new URLSearchParams(entry.fields),
          }).then(function (response) {
            if (response.ok) { sent += 1; return deleteEntry(entry.key).then(function () { return false; }); }
            if (response.status === 422) {
              return response.json().then(function (answer) {
                var errors = answer.errors || {};
                entry.problem = Object.keys(errors).map(function (name) { return errors[name].join(" "); }).join(" ");
                return putEntry(entry).then(function () { return false; });
              });
            }
            return true;  // signed out, or the server is down: keep everything, try later
          }, function () { return true; });
        });
      }, Promise.resolve(false));
    }).then(function () {
      syncing = false;
      return showPending();
    }).then(function () {
      if (sent && window.htmx && document.getElementById("recent-activity")) {
        htmx.ajax("GET", window.location.pathname, { target: "#recent-activity", select: "#recent-activity", swap: "outerHTML" });
      }
    }).catch(function () { syncing = false; });
  }

  // Offline: keep the entry instead of posting it (capture phase, before htmx sees it).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("[data-offline-log]") || navigator.onLine !== false) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    keepOffline(form);
  }, true);

  // "Online" but the request never left (a basement's captive Wi-Fi): keep it the same way.
  document.addEventListener("htmx:sendError", function (event) {
    var form = event.detail && event.detail.elt && event.detail.elt.closest("[data-offline-log]");
    if (form && event.detail.requestConfig && event.detail.requestConfig.verb === "post") keepOffline(form);
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.detail && event.detail.target && event.detail.target.id === "quick-log") showPending();
  });

  // --- Match Week: the note's Copy button (hidden without JS: nothing to copy with), and the
  // outcome buttons taking one tap (the server treats a second as the same outcome anyway).
  function showCopyButtons(root) {
    Array.prototype.forEach.call((root || document).querySelectorAll("button[data-copy]"), function (button) {
      if (navigator.clipboard || document.queryCommandSupported && document.queryCommandSupported("copy")) button.hidden = false;
    });
  }
  document.addEventListener("DOMContentLoaded", function () { showCopyButtons(); });
  document.addEventListener("htmx:afterSettle", function (event) { showCopyButtons(event.detail && event.detail.target); });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-copy]");
    if (!button) return;
    var field = document.getElementById(button.getAttribute("data-copy"));
    var status = (button.form || button.parentNode).querySelector("[data-copy-status]");
    if (!field) return;
    function said(text) { if (status) status.textContent = text; }
    var copied = button.getAttribute("data-copied") || "Copied. Paste it into your email.";
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(function () { said(copied); },
        function () { field.select(); said("Selected: copy it with your keyboard or long-press."); });
    } else {
      field.select();
      try { document.execCommand("copy"); said(copied); }
      catch (e) { said("Selected: copy it with your keyboard or long-press."); }
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-submit-once")) return;
    // After the browser has read which button was pressed, so its value still goes.
    setTimeout(function () {
      Array.prototype.forEach.call(form.querySelectorAll("button[type=submit]"), function (b) { b.disabled = true; });
      form.setAttribute("aria-busy", "true");
    }, 0);
  });
  // Back to a page kept in the back-forward cache: its buttons work again.
  window.addEventListener("pageshow", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-submit-once]"), function (form) {
      form.removeAttribute("aria-busy");
      Array.prototype.forEach.call(form.querySelectorAll("button[type=submit]"), function (b) { b.disabled = false; });
    });
  });

  window.addEventListener("online", sync);
  document.addEventListener("DOMContentLoaded", function () {
    showPending().then(sync);
    // A signed-out page: forget the pages kept for offline use (a shared phone).
    if (document.body.hasAttribute("data-signed-out") && navigator.serviceWorker && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage("forget-pages");
    }
  });

  if ("serviceWorker" in navigator && window.isSecureContext) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register(document.body.getAttribute("data-service-worker") || "/sw.js").catch(function () {});
    });
  }

  window.advocateOffline = { sync: sync, entries: allEntries };
})();
