/* The story form, body first: the headline's live count, paragraph boxes that
 * grow with their text, the sharing fields' defaults, the sections that open.
 *
 * Everything here helps; nothing is needed to save a story: without
 * JavaScript the form posts the same fields.
 */
(function () {
  "use strict";

  // Where a headline starts to be cut: a front-page card shows about three
  // lines of it (site.css), and link cards on social networks and search
  // results cut titles at about 70 characters.
  const FRONT_PAGE_HEADLINE_CHARS = 90;
  const SOCIAL_CARD_TITLE_CHARS = 70;
  // Browsers without CSS field-sizing (Firefox, Safari) get a box this many
  // pixels tall at most, as the CSS's max-block-size gives the others.
  const MAX_BOX_SHARE_OF_WINDOW = 0.6;

  // "72 حرفاً", "حرفان", "3 أحرف": Arabic counts agree with their number.
  function letters(count) {
    if (count === 1) return "حرف واحد";
    if (count === 2) return "حرفان";
    const rest = count % 100;
    if (rest >= 3 && rest <= 10) return `${count} أحرف`;
    if (rest >= 11) return `${count} حرفاً`;
    return `${count} حرف`;
  }

  function describeHeadline(length) {
    const limits = `يتّسع العنوان على الصفحة الأولى حتى ${FRONT_PAGE_HEADLINE_CHARS} وفي بطاقات المشاركة حتى ${SOCIAL_CARD_TITLE_CHARS}`;
    if (length > FRONT_PAGE_HEADLINE_CHARS) {
      return `${letters(length)}: أطول مما يتّسع له على الصفحة الأولى (${FRONT_PAGE_HEADLINE_CHARS}) فيُختصر.`;
    }
    if (length > SOCIAL_CARD_TITLE_CHARS) {
      return `${letters(length)}: يُختصر في بطاقات المشاركة (${SOCIAL_CARD_TITLE_CHARS})؛ اكتب «عنوان المشاركة» إن شئت.`;
    }
    return `${letters(length)} — ${limits}`;
  }

  function countHeadline(input) {
    const note = document.createElement("p");
    note.id = "headline-count";
    note.className = "headline-count";
    note.setAttribute("aria-live", "polite");
    input.after(note);
    input.setAttribute("aria-describedby", [input.getAttribute("aria-describedby"), note.id].filter(Boolean).join(" "));
    const update = () => {
      // Code points, not UTF-16 units, so each Arabic letter counts once.
      const length = Array.from(input.value.trim()).length;
      note.textContent = describeHeadline(length);
      note.classList.toggle("headline-count--over", length > SOCIAL_CARD_TITLE_CHARS);
      note.classList.toggle("headline-count--far-over", length > FRONT_PAGE_HEADLINE_CHARS);
    };
    input.addEventListener("input", update);
    update();
  }

  // The social title's placeholder is its default: the headline as typed now.
  function followHeadline(headline) {
    const socialTitle = document.getElementById("id_social_title");
    if (!socialTitle) return;
    headline.addEventListener("input", () => {
      socialTitle.placeholder = headline.value.trim() || "العنوان نفسه";
    });
  }

  const growsByItself = typeof CSS !== "undefined" && CSS.supports("field-sizing", "content");

  function grow(box) {
    if (growsByItself) return;
    box.style.blockSize = "auto";
    const limit = Math.round(window.innerHeight * MAX_BOX_SHARE_OF_WINDOW);
    box.style.blockSize = `${Math.min(box.scrollHeight + 2, limit)}px`;
  }

  function growParagraphBoxes() {
    const selector = ".paragraphs-inline td.field-text textarea";
    document.querySelectorAll(selector).forEach(grow);
    document.addEventListener("input", (event) => {
      if (event.target.matches && event.target.matches(selector)) grow(event.target);
    });
    document.addEventListener("formset:added", (event) => {
      event.target.querySelectorAll("textarea").forEach(grow);
    });
  }

  // Django renders a "collapse" fieldset as a closed <details>; these sections
  // (ArticleAdmin.fieldsets) are ones editors check on every story.
  function openSections() {
    document.querySelectorAll("fieldset.open-by-default > details").forEach((details) => {
      details.open = true;
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    openSections();
    const headline = document.getElementById("id_headline");
    if (headline && headline.type !== "hidden") {
      countHeadline(headline);
      followHeadline(headline);
    }
    growParagraphBoxes();
  });
})();
