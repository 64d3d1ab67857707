/* Evidence highlight on the admin's job and candidate pages.
 *
 * Selecting a field of the evidence list (hovering its row shows it; a click, or focus on its input,
 * keeps it) draws its box over the page preview and marks its span in the extracted text.
 * Rows carry data-box: the box as fractions of the displayed page, computed by the server from the
 * page size and rotation (cvs/admin_preview.py), so the box is placed in percentages and follows the
 * image at any displayed size. A static file with no inline handlers: a "script-src 'self'" CSP allows it.
 */
(function () {
  "use strict";
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr[data-pointer][data-box]"));
  if (!rows.length) return;
  var box = document.getElementById("evidence-box");
  var status = document.getElementById("evidence-status");
  var text = document.getElementById("job-text");
  // Spans count Unicode code points (Python); JavaScript strings count UTF-16 units.
  var chars = text ? Array.from(text.textContent) : [];
  var marked = false;
  var pinned = null;

  function scrollInto(container, target) {
    if (!container || !target) return;
    var top = target.getBoundingClientRect().top - container.getBoundingClientRect().top + container.scrollTop;
    if (top < container.scrollTop + 20 || top > container.scrollTop + container.clientHeight - 40) {
      container.scrollTop = Math.max(0, top - container.clientHeight / 3);
    }
  }

  function placeBox(row) {
    if (!box) return null;
    var fractions = row ? row.dataset.box.split(" ").map(Number) : [];
    var page = row && fractions.length === 4 ? document.querySelector('.preview-page[data-page="' + row.dataset.page + '"]') : null;
    if (!page) {
      box.hidden = true;
      box.dataset.pointer = "";
      return null;
    }
    page.appendChild(box);
    box.style.left = fractions[0] * 100 + "%";
    box.style.top = fractions[1] * 100 + "%";
    box.style.width = (fractions[2] - fractions[0]) * 100 + "%";
    box.style.height = (fractions[3] - fractions[1]) * 100 + "%";
    box.classList.toggle("low", row.classList.contains("low-confidence"));
    box.dataset.pointer = row.dataset.pointer;
    box.hidden = false;
    return box;
  }

  function markSpan(row) {
    if (!text) return null;
    var span = row && row.dataset.span ? row.dataset.span.split(" ").map(Number) : [];
    if (span.length !== 2 || !(span[1] > span[0])) {
      if (marked) text.textContent = chars.join("");
      marked = false;
      return null;
    }
    var mark = document.createElement("mark");
    mark.id = "evidence-mark";
    mark.textContent = chars.slice(span[0], span[1]).join("");
    text.textContent = "";
    text.append(chars.slice(0, span[0]).join(""), mark, chars.slice(span[1]).join(""));
    marked = true;
    return mark;
  }

  function show(row, scroll) {
    var drawn = placeBox(row);
    var mark = markSpan(row);
    if (status) {
      status.textContent = row ? row.dataset.pointer + ": " + row.dataset.where +
        (drawn ? "" : row.dataset.page ? " (no box to draw)" : row.dataset.span ? " (found in the text, no page box)" : "") : "";
    }
    if (scroll) {
      scrollInto(drawn && drawn.closest(".body, .evidence-preview"), drawn);
      scrollInto(mark && mark.closest(".body"), mark);
    }
  }

  function pin(row) {
    if (pinned === row) return;
    if (pinned) pinned.classList.remove("evidence-selected");
    pinned = row;
    row.classList.add("evidence-selected");
    show(row, true);
  }

  rows.forEach(function (row) {
    row.addEventListener("mouseenter", function () { show(row, false); });
    row.addEventListener("mouseleave", function () { show(pinned, false); });
    row.addEventListener("click", function () { pin(row); });
    row.addEventListener("focusin", function () { pin(row); });
  });
})();
