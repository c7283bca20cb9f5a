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

// People pickers: a select[data-combobox] (the template "people-picker")
// becomes a combobox following the WAI-ARIA APG pattern (list
// autocomplete with automatic selection): typing filters the select's
// options by name, title, role and service; Up and Down move through the
// matches, Enter chooses one, Escape closes the list or empties the field.
// The select stays in the form, hidden, and carries the choice, so the
// server sees exactly what it would see without JavaScript.
(function () {
  "use strict";
  function words(s) {
    return s.toLocaleLowerCase().split(/\s+/).filter(function (w) { return w !== ""; });
  }

  function enhance(select) {
    var input = document.createElement("input");
    var list = document.createElement("ul");
    var status = document.createElement("p");
    input.type = "text";
    input.id = select.id + "-combo";
    input.className = "ds-input people-combo";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("autocomplete", "off");
    input.setAttribute("spellcheck", "false");
    list.id = select.id + "-listbox";
    list.className = "people-listbox";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    input.setAttribute("aria-controls", list.id);
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    ["aria-describedby", "aria-invalid"].forEach(function (a) {
      if (select.hasAttribute(a)) {
        input.setAttribute(a, select.getAttribute(a));
      }
    });
    if (select.required) {
      input.setAttribute("aria-required", "true");
      select.required = false;
    }
    var label = document.querySelector('label[for="' + select.id + '"]');
    if (label) {
      label.htmlFor = input.id;
      label.id = label.id || select.id + "-label";
      list.setAttribute("aria-labelledby", label.id);
    }
    var options = [];
    Array.prototype.forEach.call(select.options, function (o) {
      if (o.value === "") {
        return;
      }
      var group = o.parentNode.tagName === "OPTGROUP" ? o.parentNode.label : "";
      options.push({ option: o, text: (o.text + " " + group).toLocaleLowerCase() });
    });
    var shown = [];
    var active = -1;
    var choosing = false;

    function chosenText() {
      var o = select.options[select.selectedIndex];
      return o && o.value !== "" ? o.text : "";
    }

    function setActive(i) {
      var items = list.querySelectorAll('[role="option"]');
      if (active >= 0 && items[active]) {
        items[active].setAttribute("aria-selected", "false");
      }
      active = i;
      if (i >= 0 && items[i]) {
        items[i].setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", items[i].id);
        items[i].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      setActive(-1);
    }

    function open() {
      var terms = words(input.value);
      shown = options.filter(function (x) {
        return terms.every(function (t) { return x.text.indexOf(t) >= 0; });
      });
      list.textContent = "";
      active = -1;
      shown.forEach(function (x, i) {
        var li = document.createElement("li");
        li.id = list.id + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.textContent = x.option.text;
        li.addEventListener("mousedown", function (e) {
          e.preventDefault();
          choose(i);
        });
        list.appendChild(li);
      });
      if (shown.length === 0) {
        var none = document.createElement("li");
        none.className = "people-none";
        none.setAttribute("aria-disabled", "true");
        none.setAttribute("role", "option");
        none.id = list.id + "-none";
        none.textContent = select.getAttribute("data-no-match") || "";
        list.appendChild(none);
      }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      status.textContent = shown.length === 0 ? select.getAttribute("data-no-match") || "" : "";
      if (shown.length > 0 && terms.length > 0) {
        setActive(0);
      }
    }

    function choose(i) {
      var x = shown[i];
      if (!x) {
        return;
      }
      select.value = x.option.value;
      input.value = x.option.text;
      close();
    }

    input.addEventListener("input", open);
    input.addEventListener("keydown", function (e) {
      switch (e.key) {
        case "ArrowDown":
          e.preventDefault();
          if (list.hidden) {
            open();
          }
          setActive(shown.length ? (active + 1) % shown.length : -1);
          break;
        case "ArrowUp":
          e.preventDefault();
          if (list.hidden) {
            open();
          }
          setActive(shown.length ? (active <= 0 ? shown.length : active) - 1 : -1);
          break;
        case "Enter":
          if (!list.hidden) {
            e.preventDefault();
            choosing = true;
            choose(active);
          }
          break;
        case "Escape":
          if (!list.hidden) {
            e.preventDefault();
            close();
          } else if (input.value !== "") {
            e.preventDefault();
            input.value = "";
            select.value = "";
          }
          break;
      }
    });
    // The Enter that chose a person must not also send the form (some
    // browsers and drivers deliver its keypress separately).
    input.addEventListener("keypress", function (e) {
      if (e.key === "Enter" && choosing) {
        e.preventDefault();
      }
      choosing = false;
    });
    input.addEventListener("keyup", function () {
      choosing = false;
    });
    input.addEventListener("blur", function () {
      if (!list.hidden && active >= 0) {
        choose(active);
      }
      close();
      if (input.value.trim() === "") {
        select.value = "";
      }
      input.value = chosenText();
    });

    // The error summary's link to the field leads to the combobox.
    Array.prototype.forEach.call(document.querySelectorAll('a[href="#' + select.id + '"]'), function (a) {
      a.setAttribute("href", "#" + input.id);
    });
    input.value = chosenText();
    select.hidden = true;
    select.tabIndex = -1;
    select.parentNode.insertBefore(input, select);
    select.parentNode.insertBefore(list, select);
    select.parentNode.insertBefore(status, select);
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("select[data-combobox]"), enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
