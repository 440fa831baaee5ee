/* Reorder a story's paragraphs in the admin with up/down buttons.
 *
 * Each paragraph row gets two buttons beside its position field; moving a row
 * renumbers every row's position 1..n in the order shown, so the form posts
 * the new order. Without JavaScript editors type the positions themselves;
 * the server renumbers them either way.
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

  function setUp(table) {
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
