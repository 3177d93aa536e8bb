/* Draw tagged speeches: shared by the page at / and by `speechtag report`, so they cannot drift.
   Every piece of unit text goes in through textContent or a text node, never as HTML. */
"use strict";
window.Speechtag = window.Speechtag || {};
(function (S) {
  // The order of toolkit/labels.py, with the labelling guide's Chinese names.
  S.LABELS = ["achievement", "problem", "task", "exhortation", "other"];
  S.NAMES = {achievement: "成绩", problem: "问题", task: "任务", exhortation: "号召", other: "其他"};
  S.LOW_CONFIDENCE = 0.6;

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (key === "text") node.textContent = value;
      else node.setAttribute(key, value);
    }
    node.append(...children.filter((child) => child !== null && child !== undefined));
    return node;
  }
  S.el = el;

  const labelName = (label) => `${S.NAMES[label] || label} ${label}`;
  const percent = (x) => `${Math.round(x * 100)}%`;
  // Code points, as Python's len() counts them.
  const length = (text) => Array.from(text).length;
  const isHeading = (unit) => unit.heading_level === 1 || unit.heading_level === 2;

  S.legend = function (container) {
    container.replaceChildren(...S.LABELS.map((label) => el("span",
      {class: "legend-item", "data-label": label, title: labelName(label)},
      el("span", {class: `swatch fill-${label}`, "aria-hidden": "true"}),
      el("span", {class: `mark lab-${label}`, text: S.NAMES[label]}), ` ${label}`)));
    container.append(el("span", {class: "legend-low"},
      el("span", {class: "mark lab-other low", text: "低"}), ` confidence < ${S.LOW_CONFIDENCE}`));
  };

  function tooltip(unit) {
    const low = unit.confidence < S.LOW_CONFIDENCE ? " (low confidence)" : "";
    const probabilities = Object.entries(unit.probabilities || {}).sort((a, b) => b[1] - a[1])
      .map(([label, p]) => `${labelName(label)}: ${percent(p)}`).join("\n");
    const cues = unit.cues && unit.cues.length ? `\ncues: ${unit.cues.join(" · ")}` : "";
    return `${labelName(unit.label)} ${percent(unit.confidence)}${low}\n${probabilities}${cues}`;
  }

  function unitNode(unit, speech, index) {
    const low = unit.confidence < S.LOW_CONFIDENCE ? " low" : "";
    return el("span", {class: `mark unit lab-${unit.label}${low}`, tabindex: "0", role: "button",
      title: tooltip(unit), "data-label": unit.label, "data-speech": speech, "data-index": index,
      text: unit.text});
  }

  // Consecutive units of one para_id; units without one stand alone.
  function paragraphs(units) {
    const groups = [];
    units.forEach((unit, index) => {
      const last = groups[groups.length - 1];
      const key = unit.para_id ?? `unit-${index}`;
      if (last && last.key === key) last.members.push(index);
      else groups.push({key, members: [index]});
    });
    return groups;
  }

  // The top-level section a unit belongs to: its outermost heading (or itself, as a heading).
  function sectionOf(unit) {
    if (unit.section && unit.section.length) return unit.section[0];
    return isHeading(unit) ? unit.text : null;
  }

  S.counts = function (units) {
    const counts = Object.fromEntries(S.LABELS.map((label) => [label, {units: 0, chars: 0}]));
    for (const unit of units) {
      const count = counts[unit.label] || (counts[unit.label] = {units: 0, chars: 0});
      count.units += 1;
      count.chars += length(unit.text);
    }
    return counts;
  };

  const fill = (label, share, title) => el("span",
    {class: `fill fill-${label}`, style: `width:${(100 * share).toFixed(2)}%`, title});
  S.fill = fill;

  function stackedBar(counts) {
    const total = Object.values(counts).reduce((sum, c) => sum + c.chars, 0) || 1;
    const bar = el("span", {class: "stack", role: "img"});
    const said = [];
    for (const [label, c] of Object.entries(counts)) {
      if (!c.units) continue;
      const text = `${labelName(label)}: ${c.units} units, ${c.chars} characters`;
      said.push(text);
      bar.append(fill(label, c.chars / total, text));
    }
    bar.setAttribute("aria-label", said.join("; "));
    return bar;
  }

  function summaryTable(counts) {
    const chars = Object.values(counts).reduce((sum, c) => sum + c.chars, 0) || 1;
    const head = el("tr", {}, ...["Label", "Units", "Characters", "Share of characters"]
      .map((text) => el("th", {scope: "col", text})));
    const rows = Object.entries(counts).map(([label, c]) => el("tr", {"data-label": label},
      el("th", {scope: "row"}, el("span", {class: `mark lab-${label}`, text: S.NAMES[label] || label}),
        ` ${label}`),
      el("td", {class: "n-units", text: String(c.units)}),
      el("td", {class: "n-chars", text: String(c.chars)}),
      el("td", {class: "share"}, el("span", {class: "meter"}, fill(label, c.chars / chars, labelName(label))),
        ` ${percent(c.chars / chars)}`)));
    return el("table", {class: "summary-table"}, el("thead", {}, head), el("tbody", {}, ...rows));
  }

  function sectionList(units, anchors) {
    const sections = new Map();
    for (const unit of units) {
      const key = sectionOf(unit);
      if (!sections.has(key)) sections.set(key, []);
      sections.get(key).push(unit);
    }
    return el("ol", {class: "section-list"}, ...[...sections].map(([key, members]) => {
      const name = key === null ? "（开头）Opening" : key;
      const link = anchors.has(key) ? el("a", {href: `#${anchors.get(key)}`, text: name})
        : el("span", {text: name});
      return el("li", {}, el("span", {class: "section-name"}, link),
        el("span", {class: "section-count", text: `${members.length} units`}),
        stackedBar(S.counts(members)));
    }));
  }

  function speechNode(speech, number) {
    const id = `speech-${number}`;
    const text = el("div", {class: "speech-text", lang: "zh-CN"});
    const anchors = new Map();
    for (const group of paragraphs(speech.units)) {
      const units = group.members.map((index) => speech.units[index]);
      const levels = units.map((unit) => unit.heading_level || 0);
      const tag = levels.every((l) => l === 1) ? "h3" : levels.every((l) => l === 2) ? "h4" : "p";
      const node = el(tag, {class: "para"}, ...group.members.map((index, i) => {
        const span = unitNode(units[i], number - 1, index);
        if (tag === "p" && isHeading(units[i])) span.classList.add("inline-heading");
        return span;
      }));
      const key = sectionOf(units[0]);
      if (isHeading(units[0]) && key === units[0].text && !anchors.has(key)) {
        node.id = `${id}-section-${anchors.size + 1}`;
        anchors.set(key, node.id);
      }
      text.append(node);
    }
    const counts = S.counts(speech.units);
    const summary = el("section", {class: "summary", lang: "en", "aria-label": "Summary"},
      el("h3", {text: "Whole speech"}), stackedBar(counts), summaryTable(counts),
      el("h3", {text: "By section"}), sectionList(speech.units, anchors));
    const source = speech.source ? el("p", {class: "source", text: speech.source}) : null;
    return el("article", {class: "speech", id, "data-units": String(speech.units.length)},
      el("h2", {class: "speech-title", text: speech.title}), source,
      el("div", {class: "speech-body"}, text, summary));
  }

  S.render = function (container, index, data) {
    container.replaceChildren(...data.speeches.map((speech, i) => speechNode(speech, i + 1)));
    // A report's overview lists the speeches itself, as a table.
    index.hidden = data.speeches.length < 2 || Boolean(data.overview);
    index.replaceChildren(el("h2", {text: `${data.speeches.length} speeches`, lang: "en"}),
      el("ol", {}, ...data.speeches.map((speech, i) => el("li", {},
        el("a", {href: `#speech-${i + 1}`, text: speech.title}),
        ` — ${speech.units.length} units`, speech.source ? ` (${speech.source})` : null))));
  };

  S.showDetails = function (panel, unit) {
    const low = unit.confidence < S.LOW_CONFIDENCE ? " — low confidence" : "";
    const rows = Object.entries(unit.probabilities || {}).sort((a, b) => b[1] - a[1])
      .map(([label, p]) => el("tr", {}, el("th", {scope: "row", text: labelName(label)}),
        el("td", {}, el("span", {class: "meter"}, fill(label, p, labelName(label)))),
        el("td", {text: percent(p)})));
    panel.replaceChildren(
      el("button", {type: "button", class: "close", "aria-label": "Close", text: "×"}),
      el("p", {class: "details-text", lang: "zh-CN", text: unit.text}),
      el("p", {}, el("span", {class: `mark lab-${unit.label}`, text: S.NAMES[unit.label] || unit.label}),
        ` ${unit.label}, confidence ${percent(unit.confidence)}${low}`),
      el("table", {class: "probabilities"}, el("tbody", {}, ...rows)),
      el("p", {class: "cues"}, "Cues: ", el("span", {lang: "zh-CN",
        text: unit.cues && unit.cues.length ? unit.cues.join(" · ") : "none"})),
      unit.section && unit.section.length
        ? el("p", {class: "where", lang: "zh-CN", text: unit.section.join(" › ")}) : null);
    panel.hidden = false;
  };
})(window.Speechtag);
