/* Reorder a story's paragraphs in the admin with up/down buttons.
 *
 * Each paragraph row gets two buttons beside its position field; moving a row
 * renumbers every row's position 1..n in the order shown, so the form posts
 * the new order. Without JavaScript editors type the positions themselves;
 * the server renumbers them either way.
 *
 * A form sent back with an error lists the paragraphs in the stored order,
 * each with the position the editor had posted: on load the rows are put in
 * the order of those positions (stable, empty ones last) and numbered 1..n,
 * so the order the editor made survives the error.
 */
(function () {
  "use strict";

  function rows(table) {
    return Array.from(table.querySelectorAll("tbody tr.form-row")).filter(
      (row) => !row.classList.contains("empty-form") && row.querySelector("input.paragraph-position")
    );
  }

  function renumber(table) {
    rows(table).forEach((row, index) => {
      const input = row.querySelector("input.paragraph-position");
      if (input.value !== String(index + 1)) {
        input.value = String(index + 1);
        input.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
  }

  function button(label, text, onClick) {
    const element = document.createElement("button");
    element.type = "button";
    element.className = "paragraph-move";
    element.textContent = text;
    element.setAttribute("aria-label", label);
    element.title = label;
    element.addEventListener("click", onClick);
    return element;
  }

  function addButtons(table, row) {
    const cell = row.querySelector("td.field-position");
    if (!cell || cell.querySelector(".paragraph-move")) return;
    const up = button("انقل الفقرة إلى الأعلى", "▲", () => {
      const previous = rows(table)[rows(table).indexOf(row) - 1];
      if (previous) {
        previous.before(row);
        renumber(table);
        up.focus();
      }
    });
    const down = button("انقل الفقرة إلى الأسفل", "▼", () => {
      const next = rows(table)[rows(table).indexOf(row) + 1];
      if (next) {
        next.after(row);
        renumber(table);
        down.focus();
      }
    });
    const group = document.createElement("span");
    group.className = "paragraph-move-group";
    group.append(up, down);
    cell.append(group);
  }

  function position(row) {
    const value = parseInt(row.querySelector("input.paragraph-position").value, 10);
    return Number.isNaN(value) ? Infinity : value;
  }

  function restorePostedOrder(table) {
    const current = rows(table);
    const sorted = current
      .map((row, index) => ({ row, index, position: position(row) }))
      .sort((a, b) => a.position - b.position || a.index - b.index)
      .map((item) => item.row);
    if (sorted.some((row, index) => row !== current[index])) {
      const anchor = current[current.length - 1].nextSibling;
      sorted.forEach((row) => anchor ? anchor.before(row) : row.parentNode.append(row));
    }
    // Numbered 1..n as the rows now stand; a fresh form already is.
    rows(table).forEach((row, index) => {
      const input = row.querySelector("input.paragraph-position");
      if (input.value !== "" && input.value !== String(index + 1)) input.value = String(index + 1);
    });
  }

  function setUp(table) {
    if (rows(table).length > 1) restorePostedOrder(table);
    rows(table).forEach((row) => addButtons(table, row));
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll(".paragraphs-inline table").forEach(setUp);
  });

  // Django's inlines.js announces each row it adds.
  document.addEventListener("formset:added", (event) => {
    if (event.detail && event.detail.formsetName !== "paragraphs") return;
    const table = event.target.closest(".paragraphs-inline table");
    if (!table) return;
    addButtons(table, event.target);
    renumber(table);
  });
})();
