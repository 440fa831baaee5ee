/* The wire desk (articles/wire_desk.py): the list refreshed in place.
 *
 * Every data-refresh-seconds (while the tab is shown), the rows endpoint
 * (data-rows-url) answers the table body, today's counts and the status line
 * as HTML in JSON; they replace the page's own, and the live region says how
 * many stories are new («وصلت 3 أخبار جديدة», the server's forms by
 * Intl.PluralRules category). Focus on a link or button of the list stays on
 * the same story's control. «نشر» is sent in the background and its answer
 * said in the live region; without JavaScript the page and its forms work as
 * they are.
 */
(function () {
  "use strict";

  const desk = document.querySelector(".wire-desk[data-rows-url]");
  if (!desk || !window.fetch) return;

  const body = document.getElementById("wire-desk-rows");
  const today = document.getElementById("wire-desk-today-counts");
  const status = document.getElementById("wire-desk-status");
  const announcer = document.getElementById("wire-desk-announcer");
  const forms = JSON.parse(document.getElementById("wire-desk-announcements").textContent);
  const seconds = Math.max(5, Number(desk.dataset.refreshSeconds) || 15);
  const plural = new Intl.PluralRules("ar");
  const ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩";
  let timer = null;
  let busy = false;

  function keysIn(container) {
    return new Set(Array.from(container.querySelectorAll("tr[data-key]"), (row) => row.dataset.key));
  }

  function digits(text) {
    if (desk.dataset.digitStyle !== "arabic") return text;
    return text.replace(/[0-9]/g, (digit) => ARABIC_DIGITS[Number(digit)]);
  }

  function say(text) {
    // Emptied first, so the same sentence twice is announced twice.
    announcer.textContent = "";
    window.setTimeout(() => {
      announcer.textContent = text;
    }, 100);
  }

  function announceNew(count) {
    if (count < 1) return;
    const form = forms[plural.select(count)] || forms.other;
    say(digits(form.replace("{n}", String(count))));
  }

  function replaceRows(html) {
    const focused = document.activeElement;
    const focusedId = focused && body.contains(focused) ? focused.id : "";
    const before = keysIn(body);
    body.innerHTML = html;
    let fresh = 0;
    body.querySelectorAll("tr[data-key]").forEach((row) => {
      if (!before.has(row.dataset.key)) {
        fresh += 1;
        row.classList.add("wire-desk__row--new");
      }
    });
    if (focusedId) {
      const again = document.getElementById(focusedId);
      // The story left the list (or its button went): the table keeps the focus.
      if (again) again.focus();
      else {
        const table = document.getElementById("wire-desk-table");
        table.setAttribute("tabindex", "-1");
        table.focus();
      }
    }
    return fresh;
  }

  async function refresh() {
    if (busy) return;
    busy = true;
    try {
      const answer = await fetch(desk.dataset.rowsUrl, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        cache: "no-store",
      });
      const type = answer.headers.get("Content-Type") || "";
      if (!answer.ok || answer.redirected || !type.includes("application/json")) {
        // Signed out, or refused: the page says so once and stops asking.
        stop();
        say("توقف تحديث القائمة تلقائيًا: أعد تحميل الصفحة.");
        return;
      }
      const data = await answer.json();
      const fresh = replaceRows(data.rows);
      today.innerHTML = data.today;
      status.innerHTML = data.status;
      announceNew(fresh);
    } catch (error) {
      // The network failed this time; the next round tries again.
    } finally {
      busy = false;
    }
  }

  function start() {
    if (timer === null) timer = window.setInterval(refresh, seconds * 1000);
  }

  function stop() {
    if (timer !== null) window.clearInterval(timer);
    timer = null;
  }

  document.addEventListener("visibilitychange", () => {
    if (document.hidden) stop();
    else {
      refresh();
      start();
    }
  });

  // «نشر» in the background: the answer is said, and the list brought up to date.
  body.addEventListener("submit", async (event) => {
    const form = event.target.closest("form.wire-desk__publish");
    if (!form) return;
    event.preventDefault();
    const button = form.querySelector("button");
    if (button) button.disabled = true;
    try {
      const answer = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      const type = answer.headers.get("Content-Type") || "";
      if (type.includes("application/json")) {
        const data = await answer.json();
        say(data.text);
      } else {
        say("تعذّر النشر: أعد تحميل الصفحة وحاول مرة أخرى.");
      }
    } catch (error) {
      say("تعذّر الاتصال بالخادم، فلم يُنشر الخبر. حاول مرة أخرى.");
    }
    if (button) button.disabled = false;
    await refresh();
    // The button is gone with the draft: the focus goes to the story's headline.
    const headline = button && document.getElementById(button.getAttribute("aria-describedby"));
    if (headline && !body.contains(document.activeElement)) headline.focus();
  });

  if (!document.hidden) start();
})();
