/* Corroborate keyboard flow. Progressive enhancement only: every action here is also a
   link or a form button, so the pages work without this file. No inline handlers, no eval
   (CSP: script-src 'self' + nonce). */
(function () {
  "use strict";

  function typing(el) {
    if (!el) return false;
    var tag = el.tagName;
    return tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable ||
      (tag === "INPUT" && !/^(checkbox|radio|button|submit|reset)$/i.test(el.type));
  }

  function follow(id) {
    var link = document.getElementById(id);
    if (link) { window.location.assign(link.href); return true; }
    return false;
  }

  function help() {
    var dialog = document.getElementById("shortcuts");
    if (dialog && !dialog.open) dialog.showModal();
  }

  /* Queue: j/k move a visible selection between rows, Enter opens it. */
  function queueRows() { return Array.prototype.slice.call(document.querySelectorAll("tr.claimrow .claimlink")); }
  function moveInQueue(step) {
    var links = queueRows();
    if (!links.length) return false;
    var i = links.indexOf(document.activeElement);
    i = i < 0 ? (step > 0 ? 0 : links.length - 1) : Math.max(0, Math.min(links.length - 1, i + step));
    links[i].focus();
    return true;
  }

  /* Review page: s/d/u pick a verdict and put the cursor in the rationale. */
  var VERDICTS = { s: "supported", d: "disputed", u: "unverified" };
  function chooseVerdict(key) {
    var form = document.getElementById("verdict-form");
    if (!form) return false;
    var radio = form.querySelector('input[name="verdict"][value="' + VERDICTS[key] + '"]');
    if (!radio) return false;
    radio.checked = true;
    var rationale = form.querySelector("textarea[name=rationale]");
    if (rationale) rationale.focus();
    return true;
  }
  function toggleReference(n) {
    var box = document.querySelector('#verdict-form input[name=references][data-key="' + n + '"]');
    if (!box) return false;
    box.checked = !box.checked;
    box.focus();
    return true;
  }

  /* Editor's decision: a approves the proposed verdict, b puts the cursor in the reason
     for sending it back (a reason is required, so b never sends on its own). */
  function approve() {
    var form = document.getElementById("approve-form");
    if (!form) return false;
    form.requestSubmit();
    return true;
  }
  function focusSendBack() {
    var box = document.querySelector("#send-back-form textarea");
    if (!box) return false;
    box.focus();
    return true;
  }

  /* A long list to cite from: the filter box narrows it, and 1-9 follow what is shown,
     so every reference can be reached from the keyboard. */
  function focusCiteFilter() {
    var filter = document.getElementById("cite-filter");
    if (!filter) return false;
    filter.focus();
    return true;
  }
  document.addEventListener("input", function (event) {
    if (event.target.id !== "cite-filter") return;
    var q = event.target.value.trim().toLowerCase();
    var n = 0;
    document.querySelectorAll("#verdict-form label.citechoice").forEach(function (label) {
      var show = !q || label.textContent.toLowerCase().indexOf(q) >= 0;
      label.hidden = !show;
      if (show) n += 1;
      var key = show && n <= 9 ? String(n) : "";
      label.querySelector("input").setAttribute("data-key", key);
      label.querySelector(".citekey").textContent = key ? key + "." : "";
    });
  });

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    // Enter in the rationale saves the verdict; Shift+Enter is a new line.
    if (event.key === "Enter" && !event.shiftKey && target.name === "rationale") {
      var form = target.form;
      if (form && form.querySelector('input[name="verdict"]:checked')) {
        event.preventDefault();
        form.requestSubmit();
      }
      return;
    }
    // Enter in the send-back reason sends the verdict back, once there is a reason.
    if (event.key === "Enter" && !event.shiftKey && target.form &&
        target.form.id === "send-back-form" && target.tagName === "TEXTAREA") {
      if (target.value.trim()) { event.preventDefault(); target.form.requestSubmit(); }
      return;
    }
    if (event.key === "Escape" && typing(target)) { target.blur(); return; }
    if (typing(target)) return;
    var done = false;
    switch (event.key) {
      case "?": help(); done = true; break;
      case "/": done = focusCiteFilter(); break;
      case "j": done = moveInQueue(1) || follow("next-claim-link"); break;
      case "k": done = moveInQueue(-1) || follow("prev-claim"); break;
      case "s": case "d": case "u": done = chooseVerdict(event.key); break;
      case "a": done = approve(); break;
      case "b": done = focusSendBack(); break;
      case "n":
        var next = document.getElementById("next-claim");
        if (next) { next.click(); done = true; }
        break;
      case "Enter":
        // A checked verdict and a focused checkbox or radio: confirm.
        var vf = document.getElementById("verdict-form");
        if (vf && vf.contains(target) && vf.querySelector('input[name="verdict"]:checked')) {
          vf.requestSubmit(); done = true;
        }
        break;
      default:
        if (/^[1-9]$/.test(event.key)) done = toggleReference(event.key);
    }
    if (done) event.preventDefault();
  });

  /* Add-from-selection: selecting words in the claim's context fills the form with the
     words and where they start in the article text. */
  document.addEventListener("mouseup", fillSelection);
  document.addEventListener("keyup", function (e) { if (e.shiftKey) fillSelection(); });
  function fillSelection() {
    var box = document.getElementById("claim-context");
    var form = document.getElementById("selection-form");
    var sel = window.getSelection();
    if (!box || !form || !sel || sel.isCollapsed || !sel.rangeCount) return;
    var range = sel.getRangeAt(0);
    if (!box.contains(range.startContainer) || !box.contains(range.endContainer)) return;
    var before = document.createRange();
    before.setStart(box, 0);
    before.setEnd(range.startContainer, range.startOffset);
    var text = range.toString();
    var lead = text.length - text.replace(/^\s+/, "").length;
    form.querySelector("[name=quote]").value = text.trim();
    form.querySelector("[name=start]").value =
      parseInt(box.getAttribute("data-offset"), 10) + before.toString().length + lead;
    var details = form.closest("details");
    if (details) details.open = true;
  }
})();
