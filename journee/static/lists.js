/* Lists of the back office: progressive enhancement of pages that work without it.
 *
 * - « Tout sélectionner » ticks every row of the page (the box is hidden without script);
 * - « Copier le lien » copies a facilitator's link and says so in a live region.
 */
(function () {
  "use strict";

  document.querySelectorAll("[data-select-all]").forEach(function (all) {
    var name = all.getAttribute("data-select-all");
    var boxes = all.form.querySelectorAll('input[type="checkbox"][name="' + name + '"]');
    var wrapper = all.closest("[hidden]");
    if (wrapper) {
      wrapper.hidden = false;
    }
    all.addEventListener("change", function () {
      boxes.forEach(function (box) { box.checked = all.checked; });
    });
    boxes.forEach(function (box) {
      box.addEventListener("change", function () {
        var ticked = Array.prototype.filter.call(boxes, function (b) { return b.checked; });
        all.checked = ticked.length === boxes.length;
        all.indeterminate = ticked.length > 0 && ticked.length < boxes.length;
      });
    });
  });

  if (navigator.clipboard && window.isSecureContext) {
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      var source = document.getElementById(button.getAttribute("data-copy"));
      var status = document.getElementById(button.getAttribute("data-status"));
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText((source.value || source.textContent).trim()).then(function () {
          status.textContent = "Lien copié.";
        }, function () {
          status.textContent = "Copie impossible : sélectionnez le lien et copiez-le.";
        });
      });
    });
  }
}());
