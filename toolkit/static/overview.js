/* A report's opening on several speeches: the label shares chart, a sortable table of the
   speeches and a search over all their units. The numbers are the embedded profile of
   toolkit/overview.py (those of `speechtag profile`); this script only draws and filters. */
"use strict";
(function (S) {
  const el = S.el;
  // More would make the page slow to redraw on every keystroke; the count says how many match.
  const MAX_RESULTS = 200;
  const share = (x) => `${(100 * x).toFixed(1)}%`;
  const labelName = (label) => `${S.NAMES[label]} ${label}`;

  function sharesBar(row) {
    const shown = S.LABELS.filter((label) => row[`share_${label}`] > 0);
    const said = shown.map((label) =>
      `${labelName(label)}: ${row[`units_${label}`]} units, ${share(row[`share_${label}`])}`);
    return el("span", {class: "stack", role: "img", "aria-label": said.join("; ")},
      ...shown.map((label, i) => S.fill(label, row[`share_${label}`], said[i])));
  }

  function chart(overview) {
    const groups = overview.by === "doc" ? "speech" : overview.by;
    return el("figure", {class: "profile-chart"},
      el("figcaption", {text: `Share of units per label, by ${groups}`}),
      el("ol", {}, ...overview.chart.map((row) => el("li", {"data-group": row.group},
        el("span", {class: "chart-group", title: row.group}, el("bdi", {text: row.group})),
        sharesBar(row),
        el("span", {class: "chart-units", text: `${row.units} units`})))));
  }

  // Each column: a heading, the value to sort by, and how to show it.
  function columns(overview) {
    const row = (i) => overview.table[i];
    return [
      {name: "#", value: (i) => i + 1},
      {name: "Speech", value: (i) => row(i).group,
        show: (value, i) => el("a", {href: `#speech-${i + 1}`, text: value})},
      ...overview.fields.map((field) => ({name: field, value: (i) => overview.speeches[i][field]})),
      {name: "Units", value: (i) => row(i).units},
      ...S.LABELS.map((label) => ({name: S.NAMES[label], title: `share of ${label} units`,
        label, value: (i) => row(i)[`share_${label}`], show: share})),
      {name: "Confidence", title: "the model's mean confidence",
        value: (i) => row(i).mean_confidence, show: (value) => value.toFixed(3)},
    ];
  }

  const known = (value) => value !== null && value !== undefined;

  // Numbers and years in numeric order, names in Chinese collation.
  function compare(a, b) {
    if (typeof a === "number" && typeof b === "number") return a - b;
    return String(a).localeCompare(String(b), "zh-CN", {numeric: true});
  }

  function table(overview) {
    const cols = columns(overview);
    const heads = cols.map((col, c) => el("th", {scope: "col", "aria-sort": "none",
      title: col.title || `sort by ${col.name}`},
    el("button", {type: "button", class: "sort", "data-column": String(c)},
      col.label ? el("span", {class: `mark lab-${col.label}`, text: col.name}) : col.name)));
    const rows = overview.table.map((_, i) => el("tr", {"data-speech": String(i)},
      ...cols.map((col) => {
        const value = col.value(i);
        const shown = !known(value) ? "–" : col.show ? col.show(value, i) : String(value);
        return el("td", {class: typeof value === "number" ? "number" : ""}, shown);
      })));
    const body = el("tbody", {}, ...rows);
    let sorted = {column: 0, direction: 1};
    heads.forEach((head, c) => head.firstChild.addEventListener("click", () => {
      sorted = {column: c, direction: sorted.column === c ? -sorted.direction : 1};
      const value = cols[c].value;
      const order = rows.map((_, i) => i).sort((i, j) => {
        const a = value(i), b = value(j);
        // Unknown values last, whichever the direction.
        if (!known(a) || !known(b)) return known(b) - known(a) || i - j;
        return sorted.direction * compare(a, b) || i - j;
      });
      body.append(...order.map((i) => rows[i]));
      heads.forEach((other, k) => other.setAttribute("aria-sort", k !== c ? "none"
        : sorted.direction > 0 ? "ascending" : "descending"));
    }));
    body.addEventListener("click", (event) => {
      const tr = event.target.closest("tr");
      if (tr && !event.target.closest("a")) location.hash = `#speech-${Number(tr.dataset.speech) + 1}`;
    });
    return el("table", {class: "overview-table", id: "overview-table"},
      el("thead", {}, el("tr", {}, ...heads)), body);
  }

  // The unit's text with each occurrence of the keyword marked.
  function marked(text, keyword) {
    if (!keyword) return [text];
    return text.split(keyword).flatMap((part, i) =>
      i ? [el("mark", {class: "hit", text: keyword}), part] : [part]);
  }

  function result(data, s, u, keyword) {
    const unit = data.speeches[s].units[u];
    const section = unit.section && unit.section.length ? unit.section.join(" › ") : null;
    return el("li", {"data-speech": String(s), "data-index": String(u)},
      el("span", {class: `mark lab-${unit.label} result-unit`, role: "button", tabindex: "0",
        title: `${labelName(unit.label)}: show it in the speech`, lang: "zh-CN"},
      ...marked(unit.text, keyword)),
      el("span", {class: "where"}, el("a", {href: `#speech-${s + 1}`,
        text: data.overview.table[s].group}),
        section ? el("span", {lang: "zh-CN", text: ` › ${section}`}) : null));
  }

  function search(data) {
    const text = el("input", {type: "search", id: "search-text", placeholder: "关键词 keyword",
      "aria-label": "Keyword", lang: "zh-CN"});
    const boxes = S.LABELS.map((label) => el("input", {type: "checkbox", value: label,
      checked: "", "aria-label": labelName(label)}));
    const count = el("p", {id: "search-count", role: "status"});
    const list = el("ol", {id: "search-results", class: "search-results"});
    function update() {
      const keyword = text.value.trim();
      const labels = new Set(boxes.filter((box) => box.checked).map((box) => box.value));
      const filtering = keyword !== "" || labels.size < S.LABELS.length;
      const found = [];
      data.speeches.forEach((speech, s) => speech.units.forEach((unit, u) => {
        if (labels.has(unit.label) && unit.text.includes(keyword)) found.push([s, u]);
      }));
      count.dataset.count = String(found.length);
      count.textContent = !filtering ? `${found.length} units. Type a keyword or untick labels.`
        : `${found.length} units match` + (found.length > MAX_RESULTS
          ? `; the first ${MAX_RESULTS} are listed.` : ".");
      list.replaceChildren(...(filtering ? found.slice(0, MAX_RESULTS) : [])
        .map(([s, u]) => result(data, s, u, keyword)));
    }
    function open(target) {
      const item = target.closest(".result-unit") && target.closest("li");
      if (!item) return;
      const unit = document.querySelector(`#speeches .unit[data-speech="${item.dataset.speech}"]` +
        `[data-index="${item.dataset.index}"]`);
      unit.scrollIntoView({block: "center"});
      unit.focus();
      unit.click();  // the page's own handler shows its details
    }
    text.addEventListener("input", update);
    boxes.forEach((box) => box.addEventListener("change", update));
    list.addEventListener("click", (event) => open(event.target));
    list.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        open(event.target);
      }
    });
    update();
    return el("section", {class: "search", "aria-label": "Search the units"},
      el("h3", {text: "Search all units"}),
      el("div", {class: "search-form"}, text, ...boxes.map((box) => el("label",
        {class: "search-label"}, box, el("span", {class: `mark lab-${box.value}`,
          text: S.NAMES[box.value]}), ` ${box.value}`))),
      count, list);
  }

  S.overview = function (container, data) {
    const overview = data.overview;
    container.hidden = !overview;
    if (!overview) {
      container.replaceChildren();
      return;
    }
    const units = overview.table.reduce((sum, row) => sum + row.units, 0);
    container.replaceChildren(
      el("h2", {text: `${overview.table.length} speeches, ${units} units`}),
      chart(overview),
      el("h3", {text: "Speeches"}),
      el("p", {class: "hint", text: "Click a heading to sort, a row to read the speech."}),
      el("div", {class: "table-scroll"}, table(overview)),
      search(data));
  };
})(window.Speechtag);
