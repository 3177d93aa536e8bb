/* The page: tag pasted text or an uploaded file through the API, or show a report's embedded data. */
"use strict";
(function (S) {
  const $ = (id) => document.getElementById(id);
  const TOKEN_KEY = "speechtag-token";
  let shown = null;
  let retry = null;

  function show(data) {
    shown = data;
    $("model-name").textContent = data.model || "–";
    S.legend($("legend"));
    S.render($("speeches"), $("index"), data);
    S.overview($("overview"), data);
    $("details").hidden = true;
    $("result").hidden = false;
  }

  function say(status, error) {
    $("status").textContent = status || "";
    $("error").textContent = error || "";
    $("error").hidden = !error;
  }

  function askToken(message) {
    $("token-prompt").textContent = message;
    $("token-form").hidden = false;
    $("token").focus();
  }

  // One API call; a 401 keeps `again` to run once the user has given a token.
  async function request(path, init, again) {
    const headers = new Headers(init.headers);
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (token) headers.set("Authorization", `Bearer ${token}`);
    let response;
    try {
      response = await fetch(path, {...init, headers});
    } catch (error) {
      throw new Error(`Could not reach the server (${error.message}).`);
    }
    if (response.status === 401) {
      retry = again;
      askToken(token ? "That token was not accepted; enter it again."
        : "This server needs an access token.");
      return null;
    }
    const body = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(body.error || `The server answered ${response.status}.`);
    return body;
  }

  // Consecutive units of one doc_id make a speech: a file may hold several (【篇N】).
  function speeches(units, source) {
    const result = [];
    for (const unit of units) {
      const last = result[result.length - 1];
      if (last && last.title === unit.doc_id) last.units.push(unit);
      else result.push({title: unit.doc_id, source, units: [unit]});
    }
    return result;
  }

  // An API answer shown; the status line says what was tagged.
  function showTagged(body, source) {
    show({model: body.model, speeches: speeches(body.units, source)});
    return `Tagged ${body.units.length} units.`;
  }

  // Runs an action that resolves to a status message ("" or null: nothing to say).
  async function run(action) {
    const buttons = document.querySelectorAll("#input button");
    buttons.forEach((button) => { button.disabled = true; });
    say("Working…");
    try {
      say(await action());
    } catch (error) {
      say("", error.message);
    } finally {
      buttons.forEach((button) => { button.disabled = false; });
    }
  }

  async function loadModel() {
    const model = await request("v1/model", {}, loadModel);
    if (model !== null) $("model-name").textContent = `${model.name}@${model.version}`;
    return "";
  }

  async function tagText() {
    const text = $("speech-text").value;
    if (!text.trim()) throw new Error("Paste a speech first.");
    const body = await request("v1/tag", {method: "POST", body: JSON.stringify({text}),
      headers: {"Content-Type": "application/json"}}, tagText);
    return body && showTagged(body, "");
  }

  async function tagFile() {
    const file = $("speech-file").files[0];
    if (!file) throw new Error("Choose a file first.");
    const body = await request(`v1/tag-file?name=${encodeURIComponent(file.name)}`,
      {method: "POST", body: file, headers: {"Content-Type": "application/octet-stream"}},
      tagFile);
    return body && showTagged(body, file.name);
  }

  function onSubmit(id, action) {
    $(id).addEventListener("submit", (event) => {
      event.preventDefault();
      run(action);
    });
  }

  function openDetails(target) {
    const unitNode = target.closest(".unit");
    if (!unitNode || !shown) return;
    const speech = shown.speeches[Number(unitNode.dataset.speech)];
    S.showDetails($("details"), speech.units[Number(unitNode.dataset.index)]);
  }

  $("speeches").addEventListener("click", (event) => openDetails(event.target));
  $("speeches").addEventListener("keydown", (event) => {
    if (event.key !== "Enter" && event.key !== " ") return;
    event.preventDefault();
    openDetails(event.target);
  });
  $("details").addEventListener("click", (event) => {
    if (event.target.closest(".close")) $("details").hidden = true;
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") $("details").hidden = true;
  });
  $("download-jsonl").addEventListener("click",
    () => S.download("speechtag.jsonl", S.toJsonl(shown), "application/x-ndjson"));
  $("download-csv").addEventListener("click",
    () => S.download("speechtag.csv", S.toCsv(shown), "text/csv;charset=utf-8"));

  const embedded = $("speechtag-data");
  if (embedded) {
    // A report from `speechtag report`: the data is in the file; there is no server to ask.
    const data = JSON.parse(embedded.textContent);
    document.title = data.title || document.title;
    $("input").hidden = true;
    show(data);
  } else {
    $("token-form").addEventListener("submit", (event) => {
      event.preventDefault();
      sessionStorage.setItem(TOKEN_KEY, $("token").value.trim());
      $("token-form").hidden = true;
      const again = retry;
      retry = null;
      if (again) run(again);
    });
    onSubmit("text-form", tagText);
    onSubmit("file-form", tagFile);
    run(loadModel);
  }
})(window.Speechtag);
