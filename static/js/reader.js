// The story page's text-size control (A− / A+), remembered in this browser.
// The site works fully without this file: the control stays hidden then.
(function () {
  "use strict";

  var KEY = "newsportal.textScale";
  var SCALES = [0.875, 1, 1.125, 1.25, 1.375, 1.5];
  var DEFAULT = 1;
  var root = document.documentElement;

  function stored() {
    try {
      var index = parseInt(window.localStorage.getItem(KEY), 10);
      return index >= 0 && index < SCALES.length ? index : DEFAULT;
    } catch (error) {
      return DEFAULT; // storage blocked: the control still works for this page
    }
  }

  function remember(index) {
    try {
      window.localStorage.setItem(KEY, String(index));
    } catch (error) {
      // Nothing to do: the size applies to this page only.
    }
  }

  var current = stored();

  function apply(controls) {
    root.style.setProperty("--text-scale", String(SCALES[current]));
    controls.forEach(function (control) {
      // aria-disabled rather than disabled, so the focused button keeps focus.
      control.querySelector('[data-step="-1"]').setAttribute("aria-disabled", String(current === 0));
      control
        .querySelector('[data-step="1"]')
        .setAttribute("aria-disabled", String(current === SCALES.length - 1));
    });
  }

  var controls = Array.prototype.slice.call(document.querySelectorAll("[data-text-size]"));
  apply(controls);
  controls.forEach(function (control) {
    control.hidden = false;
    control.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-step]");
      if (!button) {
        return;
      }
      var next = current + parseInt(button.getAttribute("data-step"), 10);
      if (next < 0 || next >= SCALES.length) {
        return;
      }
      current = next;
      remember(current);
      apply(controls);
    });
  });
})();
