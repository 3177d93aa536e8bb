/* JSONL and CSV of the shown result, made in the browser so a report on disk can export too. */
"use strict";
(function (S) {
  // The columns of `speechtag tag --format csv`, so both exports load the same way.
  const COLUMNS = ["source", "doc_id", "sent_id", "text", "start", "end", "heading_level",
    "section", "para_id", "label", "confidence", ...S.LABELS.map((label) => `p_${label}`)];

  function rows(data) {
    return data.speeches.flatMap((speech) =>
      speech.units.map((unit) => ({source: speech.source || "", ...unit})));
  }

  S.toJsonl = (data) => rows(data).map((row) => JSON.stringify(row) + "\n").join("");

  function cell(value) {
    if (value === null || value === undefined) return "";
    const text = typeof value === "object" ? JSON.stringify(value) : String(value);
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  }

  function csvRow(row) {
    return COLUMNS.map((column) => cell(column.startsWith("p_")
      ? (row.probabilities || {})[column.slice(2)] : row[column])).join(",");
  }

  // The byte-order mark lets spreadsheet programs read the Chinese text as UTF-8.
  S.toCsv = (data) => "\ufeff" + [COLUMNS.join(","), ...rows(data).map(csvRow)]
    .map((line) => line + "\r\n").join("");

  S.download = function (name, text, type) {
    const url = URL.createObjectURL(new Blob([text], {type}));
    const link = S.el("a", {href: url, download: name, hidden: ""});
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  };
})(window.Speechtag);
