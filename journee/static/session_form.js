/* The session form, enhanced: people suggested as one types (an ARIA combobox over the
   plain text field), rows added in place, the workshops shown for a workshops slot only.
   Without this script the form works the same way through the server. */
(function () {
  "use strict";

  var form = document.querySelector("form.session-form");
  if (!form) { return; }
  var searchUrl = form.getAttribute("data-search-url");
  var autoRoles = JSON.parse(form.getAttribute("data-auto-roles") || "{}");
  var announcer = form.querySelector("[data-announce]");
  var kind = form.querySelector("select[name=kind]");
  var counter = 0;
  // Searches still running when the form is sent are dropped: their answers, arriving
  // after the save, would bring back the session cookie without the « enregistrée » note.
  var searches = new AbortController();
  form.addEventListener("submit", function () { searches.abort(); });

  function announce(text) {
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = text; }, 50);
  }

  /* --- Suggestions as one types ------------------------------------------------------ */

  function setUp(input) {
    if (input.hasAttribute("role")) { return; }
    counter += 1;
    var list = document.createElement("ul");
    list.id = "suggestions-" + counter;
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Personnes déjà connues");
    list.hidden = true;
    input.insertAdjacentElement("afterend", list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    var hidden = input.closest("[data-row]").querySelector("input[name$='-person_id']");
    var timer = null;
    var active = -1;
    var request = 0;

    function close() {
      list.hidden = true;
      list.innerHTML = "";
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function choose(option) {
      input.value = option.getAttribute("data-name");
      hidden.value = option.getAttribute("data-id");
      close();
      announce(input.value + " choisi·e.");
    }

    function highlight(index) {
      var options = list.querySelectorAll("[role=option]");
      if (!options.length) { return; }
      active = (index + options.length) % options.length;
      options.forEach(function (option, number) {
        option.setAttribute("aria-selected", number === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", options[active].id);
    }

    function show(people, total) {
      list.innerHTML = "";
      people.forEach(function (person, number) {
        var option = document.createElement("li");
        option.id = list.id + "-" + number;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.setAttribute("data-id", person.id);
        option.setAttribute("data-name", person.name);
        option.textContent = person.name + (person.organisation ? " — " + person.organisation : "");
        option.addEventListener("mousedown", function (event) { event.preventDefault(); });
        option.addEventListener("click", function () { choose(option); });
        list.appendChild(option);
      });
      list.hidden = !people.length;
      input.setAttribute("aria-expanded", people.length ? "true" : "false");
      announce(people.length
        ? total + (total > 1 ? " personnes trouvées" : " personne trouvée") + " : flèche vers le bas pour choisir."
        : "Personne de connu·e à ce nom : une nouvelle fiche sera créée.");
    }

    function search() {
      var query = input.value.trim();
      if (query.length < 2 || document.activeElement !== input) { close(); return; }
      request += 1;
      var mine = request;
      fetch(searchUrl + "?q=" + encodeURIComponent(query), {credentials: "same-origin",
                                                             signal: searches.signal,
                                                             headers: {Accept: "application/json"}})
        .then(function (response) { return response.ok ? response.json() : {people: [], total: 0}; })
        .then(function (data) {
          // A late answer for a field left meanwhile opens nothing over the rest of the form.
          if (mine === request && document.activeElement === input) { show(data.people, data.total); }
        })
        .catch(function () { close(); });
    }

    input.addEventListener("input", function () {
      hidden.value = "";
      window.clearTimeout(timer);
      timer = window.setTimeout(search, 200);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (list.hidden) { search(); return; }
        event.preventDefault();
        highlight(active + (event.key === "ArrowDown" ? 1 : -1));
      } else if (event.key === "Enter" && !list.hidden && active >= 0) {
        event.preventDefault();
        choose(list.querySelectorAll("[role=option]")[active]);
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", function () {
      window.clearTimeout(timer);
      request += 1;
      window.setTimeout(close, 150);
    });
  }

  function setUpAll(root) {
    root.querySelectorAll(".person-name input").forEach(setUp);
  }

  /* --- Roles by the session's kind ----------------------------------------------------- */

  function showAutoRoles() {
    var labels = autoRoles[kind.value];
    if (!labels) { return; }
    var rows = form.querySelectorAll("[data-rows=participants] > [data-row]");
    rows.forEach(function (row, index) {
      var option = row.querySelector("select[name$='-role'] option[value='']");
      if (option) {
        option.textContent = "Selon le type de séance (" + labels[index === 0 ? 0 : 1] + ")";
      }
    });
  }

  function showWorkshops() {
    form.querySelectorAll("[data-for-kind]").forEach(function (section) {
      section.hidden = section.getAttribute("data-for-kind") !== kind.value
        && !section.querySelector(".has-error");
    });
  }

  /* --- Rows added in place ------------------------------------------------------------- */

  function renumber(row, prefix, index) {
    var pattern = new RegExp("^" + prefix.replace(/[-]/g, "\\-") + "-\\d+-");
    var replacement = prefix + "-" + index + "-";
    row.querySelectorAll("[name], [id], [for], [aria-describedby], [data-rows]").forEach(function (el) {
      ["name", "id", "for", "data-rows"].forEach(function (attribute) {
        var value = el.getAttribute(attribute);
        if (value) { el.setAttribute(attribute, value.replace(pattern, replacement)); }
      });
      var described = el.getAttribute("aria-describedby");
      if (described) {
        el.setAttribute("aria-describedby", described.split(" ").map(function (part) {
          return part.replace(pattern, replacement);
        }).join(" "));
      }
    });
  }

  function clear(row) {
    row.querySelectorAll(".field-error, .remove-field, .suggestions").forEach(function (el) { el.remove(); });
    row.querySelectorAll(".has-error").forEach(function (el) { el.classList.remove("has-error"); });
    row.querySelectorAll("input, select, textarea").forEach(function (el) {
      el.removeAttribute("aria-invalid");
      el.removeAttribute("role");
      el.removeAttribute("aria-expanded");
      el.removeAttribute("aria-controls");
      el.removeAttribute("aria-autocomplete");
      el.removeAttribute("aria-activedescendant");
      var described = (el.getAttribute("aria-describedby") || "").split(" ").filter(function (id) {
        return id && !/-erreur$/.test(id);
      });
      if (described.length) { el.setAttribute("aria-describedby", described.join(" ")); }
      else { el.removeAttribute("aria-describedby"); }
      if (el.tagName === "SELECT") { el.selectedIndex = 0; }
      else if (el.type === "checkbox") { el.checked = false; }
      else if (el.type !== "submit") { el.value = ""; }
    });
  }

  function addRow(button) {
    var group = button.closest("[data-rows]");
    var prefix = group.getAttribute("data-rows");
    var rows = Array.prototype.filter.call(group.children, function (el) { return el.hasAttribute("data-row"); });
    var last = rows[rows.length - 1];
    var row = last.cloneNode(true);
    var index = rows.length;
    renumber(row, prefix, index);
    clear(row);
    var legend = row.querySelector("legend");
    legend.textContent = legend.textContent.replace(/\d+$/, String(index + 1));
    row.querySelectorAll("[data-rows]").forEach(function (inner) {
      var innerRows = Array.prototype.filter.call(inner.children, function (el) { return el.hasAttribute("data-row"); });
      innerRows.slice(2).forEach(function (el) { el.remove(); });
      inner.querySelector("legend").textContent = inner.querySelector("legend").textContent.replace(/\d+$/, String(index + 1));
      var add = inner.querySelector("button[name=action]");
      add.value = "animation-" + (index + 1);
      add.textContent = add.textContent.replace(/\d+$/, String(index + 1));
    });
    last.insertAdjacentElement("afterend", row);
    setUpAll(row);
    showAutoRoles();
    var first = row.querySelector("input:not([type=hidden]), select");
    if (first) { first.focus(); }
    announce("Ligne ajoutée : " + legend.textContent + ".");
  }

  form.addEventListener("click", function (event) {
    var button = event.target.closest("button[name=action]");
    if (!button) { return; }
    event.preventDefault();
    addRow(button);
  });

  kind.addEventListener("change", function () { showAutoRoles(); showWorkshops(); });
  setUpAll(form);
  showAutoRoles();
  showWorkshops();
}());
