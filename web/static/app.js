// Samordna's progressive enhancement. Every page works without this file;
// it only saves a click here and there.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // A select marked data-autosubmit (the language switch) submits its form
  // when a pointer user picks an option, so its button can be hidden.
  //
  // A keyboard user moves through the options with the arrow keys, and
  // each step changes the value. Submitting then would reload the page
  // under them before they reach the option they want (WCAG 3.2.2 On
  // Input). So after a key press the form's button shows instead, and
  // Enter on the select submits.
  var keyboard = false;

  function autosubmitSelect(el) {
    return el && el.matches && el.matches("select[data-autosubmit]") && el.form ? el : null;
  }

  function submit(form) {
    if (form.requestSubmit) {
      form.requestSubmit();
    } else {
      form.submit();
    }
  }

  document.addEventListener("pointerdown", function () {
    keyboard = false;
  }, true);

  document.addEventListener("keydown", function (event) {
    var el = autosubmitSelect(event.target);
    if (!el) {
      return;
    }
    if (event.key === "Enter") {
      event.preventDefault();
      submit(el.form);
      return;
    }
    if (event.key !== "Tab" && event.key !== "Shift") {
      keyboard = true;
    }
  });

  document.addEventListener("change", function (event) {
    var el = autosubmitSelect(event.target);
    if (!el) {
      return;
    }
    if (!keyboard) {
      submit(el.form);
      return;
    }
    var hidden = el.form.querySelectorAll(".js-hide");
    for (var i = 0; i < hidden.length; i++) {
      hidden[i].classList.remove("js-hide");
    }
  });
})();
