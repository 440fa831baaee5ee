/* The story form's workflow bar (articles/admin_workflow.py).
 *
 * - «سحب» asks first: a withdrawn story's address answers 410 to readers.
 * - Beside the publication time (written in the site's zone), the same moment
 *   in the editor's own zone when the two differ, kept up to date as the
 *   field changes: an editor abroad schedules for the right hour.
 * Without JavaScript the buttons still work; the server checks everything.
 */
(function () {
  "use strict";

  // Withdrawal is confirmed in the browser; cancelling keeps the form as it is.
  document.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-confirm]");
    if (button && !window.confirm(button.dataset.confirm)) {
      event.preventDefault();
    }
  });

  const ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩";

  function westernDigits(text) {
    return text.replace(/[٠-٩]/g, (digit) => String(ARABIC_DIGITS.indexOf(digit)));
  }

  // The wall-clock parts of the date and time inputs, or null while incomplete.
  function wallClock(dateText, timeText) {
    const date = westernDigits(dateText).trim();
    const time = westernDigits(timeText).trim();
    let day = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(date);
    let parts;
    if (day) {
      parts = [Number(day[1]), Number(day[2]), Number(day[3])];
    } else {
      day = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(date);
      if (!day) return null;
      parts = [Number(day[3]), Number(day[2]), Number(day[1])];
    }
    const clock = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(time);
    if (!clock) return null;
    return Date.UTC(parts[0], parts[1] - 1, parts[2], Number(clock[1]), Number(clock[2]), Number(clock[3] || 0));
  }

  // How far ahead of UTC ``zone`` is at ``instant`` (milliseconds).
  function offsetAt(instant, zone) {
    const fields = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    }).formatToParts(new Date(instant));
    const value = (type) => Number(fields.find((part) => part.type === type).value);
    const asUtc = Date.UTC(value("year"), value("month") - 1, value("day"), value("hour"), value("minute"), value("second"));
    return asUtc - Math.floor(instant / 1000) * 1000;
  }

  // The instant that reads ``wall`` on the clocks of ``zone`` (twice, for summer time's edges).
  function instantIn(wall, zone) {
    let instant = wall - offsetAt(wall, zone);
    instant = wall - offsetAt(instant, zone);
    return instant;
  }

  function showBrowserTime(box) {
    const siteZone = box.dataset.siteZone;
    const note = box.querySelector(".workflow-time__browser");
    const date = box.querySelector("input[name$='_0']");
    const time = box.querySelector("input[name$='_1']");
    const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!note || !date || !time || !siteZone || !browserZone) return;
    const wall = wallClock(date.value, time.value);
    if (wall === null) {
      note.hidden = true;
      return;
    }
    const instant = instantIn(wall, siteZone);
    if (offsetAt(instant, siteZone) === offsetAt(instant, browserZone)) {
      note.hidden = true;
      return;
    }
    const written = new Intl.DateTimeFormat("ar-u-nu-latn", {
      day: "numeric",
      month: "long",
      year: "numeric",
      hour: "numeric",
      minute: "2-digit",
    }).format(new Date(instant));
    const zoneName = document.createElement("bdi");
    zoneName.textContent = browserZone;
    note.replaceChildren("بتوقيتك أنت (", zoneName, `): ${written}`);
    note.hidden = false;
  }

  function watch(box) {
    const update = () => showBrowserTime(box);
    box.addEventListener("input", update);
    box.addEventListener("change", update);
    // The calendar and clock shortcuts fill the inputs without an event of their own.
    box.addEventListener("click", () => window.setTimeout(update, 0));
    document.addEventListener("click", () => window.setTimeout(update, 0));
    update();
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll(".workflow-time[data-site-zone]").forEach(watch);
  });
})();
