/* The register's filters, search and sortable columns. Without this script the table reads in
   full, in its default order (the most recent decision first), and the filters stay hidden. The
   filters read search.json beside this page; where it cannot be fetched (a page opened from disk)
   they read the table's own rows. The wording comes from the page (data-template, data-sort). */
(function () {
  "use strict";
  var table = document.getElementById("register");
  var panel = document.getElementById("filters");
  if (!table || !panel || !window.URLSearchParams) return;
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var status = document.getElementById("shown");
  var form = panel.querySelector("form");
  var fields = { q: form.elements.q, d: form.elements.directorate, c: form.elements.characteristic, y: form.elements.year };
  var byUrl = {};
  var timer = null;

  function fold(text) {
    return String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  rows.forEach(function (row) {
    var url = row.querySelector("a").getAttribute("href");
    byUrl[url] = row;
    row.entry = {
      directorate: row.getAttribute("data-directorate") || "",
      year: row.getAttribute("data-year") || "",
      characteristics: JSON.parse(row.getAttribute("data-characteristics") || "[]"),
      text: fold(row.textContent)
    };
  });

  function apply() {
    var words = fold(fields.q.value).split(/\s+/).filter(Boolean);
    var shown = 0;
    rows.forEach(function (row) {
      var e = row.entry;
      var match = (!fields.d.value || e.directorate === fields.d.value) &&
        (!fields.c.value || e.characteristics.indexOf(fields.c.value) >= 0) &&
        (!fields.y.value || e.year === fields.y.value) &&
        words.every(function (w) { return e.text.indexOf(w) >= 0; });
      row.hidden = !match;
      if (match) shown += 1;
    });
    clearTimeout(timer);
    timer = setTimeout(function () {
      status.textContent = status.getAttribute("data-template")
        .replace("{shown}", shown).replace("{total}", rows.length);
    }, 300);
    remember();
  }

  function remember() {
    var params = new URLSearchParams();
    Object.keys(fields).forEach(function (key) { if (fields[key].value) params.set(key, fields[key].value); });
    var hash = params.toString();
    if (window.history && history.replaceState) {
      history.replaceState(null, "", hash ? "#" + hash : location.pathname + location.search);
    }
  }

  function recall() {
    var params = new URLSearchParams(location.hash.replace(/^#/, ""));
    Object.keys(fields).forEach(function (key) {
      var value = params.get(key);
      if (value === null) return;
      if (fields[key].tagName === "SELECT" &&
          !Array.prototype.some.call(fields[key].options, function (o) { return o.value === value; })) return;
      fields[key].value = value;
    });
  }

  function key(row, col) {
    var cell = row.cells[col];
    var value = cell.getAttribute("data-key");
    return value !== null ? value : cell.textContent.trim();
  }

  function sortBy(col, direction) {
    var numeric = heads[col].getAttribute("data-type") === "number";
    var sign = direction === "ascending" ? 1 : -1;
    var order = rows.map(function (row, index) { return { row: row, index: index, key: key(row, col) }; });
    order.sort(function (a, b) {
      if (!a.key !== !b.key) return a.key ? -1 : 1; // a blank cell goes last either way
      var diff = numeric ? Number(a.key) - Number(b.key) : a.key.localeCompare(b.key, undefined, { numeric: true });
      return diff ? sign * diff : a.index - b.index;
    });
    heads.forEach(function (th) { th.removeAttribute("aria-sort"); });
    heads[col].setAttribute("aria-sort", direction);
    order.forEach(function (item) { body.appendChild(item.row); });
  }

  heads.forEach(function (th, col) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "sort";
    while (th.firstChild) button.appendChild(th.firstChild);
    th.appendChild(button);
    button.addEventListener("click", function () {
      sortBy(col, th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending");
    });
  });

  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
  panel.hidden = false;
  recall();
  apply();

  if (window.fetch && location.protocol !== "file:") {
    fetch("search.json").then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.json();
    }).then(function (data) {
      data.assessments.forEach(function (a) {
        var row = byUrl[a.url];
        if (!row) return;
        row.entry = {
          directorate: a.directorate,
          year: a.year,
          characteristics: a.characteristics,
          text: fold([a.reference, a.name, a.text].join(" "))
        };
      });
      apply();
    }).catch(function () { /* the rows' own text still filters */ });
  }
}());
