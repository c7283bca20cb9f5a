// Samordna's progressive enhancement. Every page works without this file;
// it only saves a click here and there.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  // A select marked data-autosubmit submits its form when changed (the
  // language switch), so its button can be hidden.
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el && el.matches && el.matches("select[data-autosubmit]") && el.form) {
      el.form.submit();
    }
  });
})();
