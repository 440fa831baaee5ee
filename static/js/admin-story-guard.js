/* Never lose an edit, in the story form (articles/admin_guard.py).
 *
 * - Leaving the form with unsaved changes (a link, a reload, closing the tab)
 *   asks first: the form's state (every field, paragraph rows added, removed
 *   or moved, files chosen) is compared with the one it was loaded with, so
 *   typing a word and deleting it again is no change. A form shown again
 *   after a refused save holds unsaved edits from the start. Submitting the
 *   form never asks.
 * - The quiet edit lock: refreshed while the form stays open, let go when the
 *   page is left; the answer says whether another editor holds it.
 * - Ctrl+S / Cmd+S saves, with the form's default save button.
 */
(function () {
  "use strict";

  function start() {
    const guard = document.querySelector("[data-edit-guard]");
    const form = guard ? guard.closest("form") : null;
    if (!form) return;

    // Dirty tracking --------------------------------------------------------------

    function state() {
      const parts = [];
      for (const [name, value] of new FormData(form)) {
        if (name === "csrfmiddlewaretoken") continue;
        // A chosen file counts by its name and size; the browser never refills one.
        const shown = value instanceof File ? `file:${value.name}:${value.size}` : value;
        parts.push(`${name}=${shown}`);
      }
      return parts.join("&");
    }

    let loaded = null;
    let submitting = false;
    let discarding = false;
    const refused = guard.hasAttribute("data-unsaved");

    function isDirty() {
      if (submitting || discarding) return false;
      return refused || (loaded !== null && state() !== loaded);
    }

    // Asked at the moment of leaving, so a change made an instant before
    // (a paragraph moved, a row added by Django's inline script, a file
    // chosen) counts as surely as typing.
    window.addEventListener("beforeunload", (event) => {
      if (!isDirty()) return;
      // Browsers show their own wording; both calls are what they ask for.
      event.preventDefault();
      event.returnValue = "";
    });

    form.addEventListener("submit", (event) => {
      submitting = true;
      // A later handler may still cancel the submit (a confirmation answered no).
      setTimeout(() => {
        if (event.defaultPrevented) submitting = false;
      }, 0);
    });
    // A link that says it discards the edits (the conflict's reload) leaves without asking.
    document.querySelectorAll("[data-discard-edits]").forEach((link) =>
      link.addEventListener("click", () => {
        discarding = true;
      })
    );

    // After every script has set the form up (prepopulated fields, paragraph buttons).
    function snapshot() {
      loaded = state();
    }
    if (document.readyState === "complete") snapshot();
    else window.addEventListener("load", snapshot);

    // Saving with the keyboard ----------------------------------------------------

    document.addEventListener("keydown", (event) => {
      const save = (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey;
      // event.code: the S key whatever the layout (an Arabic keyboard types س there).
      if (!save || (event.code !== "KeyS" && event.key.toLowerCase() !== "s")) return;
      event.preventDefault();
      const button = form.querySelector("input[name=_save], button[name=_save]");
      if (button) button.click();
      // A story the editor may only read has no button to press, and nothing to save.
      else if (form.querySelector("[type=submit]")) form.requestSubmit();
    });

    // The edit lock ---------------------------------------------------------------

    const lockUrl = guard.dataset.lockUrl;
    const unlockUrl = guard.dataset.unlockUrl;
    if (!lockUrl) return;
    const notice = guard.querySelector("[data-edit-lock-notice]");
    const csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;

    function show(holder) {
      if (!notice) return;
      if (holder) {
        notice.querySelector("[data-lock-name]").textContent = holder.name;
        notice.querySelector("[data-lock-since]").textContent = holder.since;
      }
      notice.hidden = !holder;
    }

    function refresh() {
      if (submitting) return;
      fetch(lockUrl, {
        method: "POST",
        headers: { "X-CSRFToken": csrf },
        credentials: "same-origin",
      })
        .then((response) => (response.ok ? response.json() : null))
        .then((answer) => {
          if (answer) show(answer.holder);
        })
        .catch(() => {
          // Offline for a moment: the next refresh tries again; the lock only warns.
        });
    }

    const seconds = Math.max(1, Number(guard.dataset.heartbeat) || 20);
    setInterval(refresh, seconds * 1000);

    window.addEventListener("pagehide", () => {
      // Submitting: the server lets go after a successful save, or keeps the
      // lock for the form it shows again.
      if (submitting) return;
      const data = new FormData();
      data.append("csrfmiddlewaretoken", csrf);
      navigator.sendBeacon(unlockUrl, data);
    });
    window.addEventListener("pageshow", (event) => {
      // Back from the back/forward cache: the lock was let go on leaving.
      if (event.persisted) refresh();
    });
  }

  // The admin loads its media in the page's head, before the form exists.
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
