// BlitDB Studio: one page over the ordinary HTTP API. No framework, no build step.
(function () {
  "use strict";
  const $ = (sel) => document.querySelector(sel);
  const state = { db: null, key: sessionStorage.getItem("blitdb.apiKey") || "", page: 0, pageSize: 25,
    loadedChangeVector: null, queryResults: [], samples: [] };

  // ---- HTTP ----------------------------------------------------------------------------------------------
  async function api(method, path, body, extraHeaders) {
    const headers = Object.assign({}, extraHeaders || {});
    if (state.key) headers["Authorization"] = "Bearer " + state.key;
    if (body !== undefined && body !== null) headers["Content-Type"] = "application/json";
    let response;
    try {
      response = await fetch(path, { method: method, headers: headers, body: body === undefined ? null : body });
    } catch (e) {
      status("error", "The server did not answer (" + e.message + ")");
      throw e;
    }
    const text = await response.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
    const result = { status: response.status, ok: response.ok, json: json, text: text, headers: response.headers };
    if (response.status === 401) {
      status("error", "401 Unauthorized: this server needs an API key. Enter it at the top right. "
        + ((json && json.Message) || ""));
    } else if (response.status === 403) {
      status("error", "403 Forbidden: the API key is not allowed to do this (" + method + " " + path + "). "
        + ((json && json.Message) || ""));
    }
    return result;
  }
  const enc = encodeURIComponent;
  const dbPath = (rest) => "/databases/" + enc(state.db) + rest;
  function errorText(r) {
    if (r.json && r.json.Message) {
      const where = r.json.Line ? " (line " + r.json.Line + ", column " + r.json.Column + ")" : "";
      return r.status + " " + (r.json.Type || "") + ": " + r.json.Message + where;
    }
    return r.status + ": " + r.text;
  }
  function status(kind, message) {
    const el = $("#status");
    el.className = kind || "";
    el.textContent = message || "";
  }

  // ---- navigation --------------------------------------------------------------------------------------------
  let current = "databases";
  function show(view) {
    current = view;
    document.querySelectorAll("nav button").forEach((b) => b.classList.toggle("active", b.dataset.view === view));
    document.querySelectorAll(".view").forEach((v) => { v.hidden = v.id !== "view-" + view; });
    if (view === "databases") refreshDatabases();
    if (view === "documents") refreshCollections();
    if (view === "indexes") refreshIndexes();
    if (view === "charts") drawCharts();
  }
  document.querySelectorAll("nav button").forEach((b) => b.addEventListener("click", () => show(b.dataset.view)));

  // ---- API key ---------------------------------------------------------------------------------------------
  $("#apiKey").value = "";
  function showKeyState() {
    $("#authStatus").textContent = state.key ? "key set" : "no key";
  }
  $("#saveKey").addEventListener("click", async () => {
    state.key = $("#apiKey").value.trim();
    $("#apiKey").value = ""; // never shown again
    if (state.key) sessionStorage.setItem("blitdb.apiKey", state.key); else sessionStorage.removeItem("blitdb.apiKey");
    showKeyState();
    status("", "");
    await refreshDatabases();
  });
  showKeyState();

  // ---- databases -------------------------------------------------------------------------------------------
  async function refreshDatabases() {
    const r = await api("GET", "/databases");
    if (!r.ok) { if (r.status !== 401 && r.status !== 403) status("error", errorText(r)); return; }
    const dbs = r.json.Databases || [];
    const select = $("#dbSelect");
    const names = dbs.map((d) => d.Name);
    if (!state.db || !names.includes(state.db)) state.db = names[0] || null;
    select.innerHTML = "";
    names.forEach((n) => { const o = document.createElement("option"); o.value = n; o.textContent = n; select.appendChild(o); });
    select.value = state.db || "";
    const body = $("#dbTable tbody");
    body.innerHTML = "";
    dbs.forEach((d) => {
      const tr = document.createElement("tr");
      tr.className = "clickable";
      tr.dataset.db = d.Name;
      tr.innerHTML = "<td></td><td></td><td><button class='danger drop-db'>Drop</button></td>";
      tr.children[0].textContent = d.Name;
      tr.children[1].textContent = d.State + (d.Failure ? " — " + d.Failure : "");
      tr.addEventListener("click", (e) => { if (!e.target.classList.contains("drop-db")) selectDb(d.Name); });
      tr.querySelector(".drop-db").addEventListener("click", () => dropDb(d.Name));
      body.appendChild(tr);
    });
    refreshStats();
  }
  function selectDb(name) {
    state.db = name;
    $("#dbSelect").value = name;
    state.page = 0;
    refreshStats();
    if (current === "documents") refreshCollections();
    if (current === "indexes") refreshIndexes();
  }
  $("#dbSelect").addEventListener("change", (e) => selectDb(e.target.value));
  async function refreshStats() {
    $("#statsDbName").textContent = state.db || "";
    if (!state.db) { $("#dbStats").textContent = ""; return; }
    const r = await api("GET", dbPath("/stats"));
    $("#dbStats").textContent = r.ok ? JSON.stringify(r.json, null, 2) : errorText(r);
  }
  $("#createDb").addEventListener("click", async () => {
    const name = $("#newDbName").value.trim();
    if (!name) { status("error", "Give the new database a name."); return; }
    const r = await api("PUT", "/admin/databases?name=" + enc(name));
    if (r.ok) {
      status("info", "Database '" + name + "' created.");
      $("#newDbName").value = "";
      state.db = name;
      await refreshDatabases();
    } else if (r.status !== 401 && r.status !== 403) {
      status("error", errorText(r));
    }
  });
  async function dropDb(name) {
    if (!confirm("Drop database '" + name + "' and delete all its data?")) return;
    const r = await api("DELETE", "/admin/databases?name=" + enc(name));
    if (r.ok) { status("info", "Database '" + name + "' dropped."); if (state.db === name) state.db = null; refreshDatabases(); }
    else if (r.status !== 401 && r.status !== 403) status("error", errorText(r));
  }

  // ---- documents -------------------------------------------------------------------------------------------
  async function refreshCollections() {
    if (!state.db) return;
    const r = await api("GET", dbPath("/collections/stats"));
    if (!r.ok) return;
    const select = $("#collectionSelect");
    const keep = select.value;
    select.innerHTML = "<option value=''>(any, by id prefix)</option>";
    Object.entries(r.json.Collections || {}).forEach(([name, count]) => {
      const o = document.createElement("option");
      o.value = name;
      o.textContent = name + " (" + count + ")";
      select.appendChild(o);
    });
    select.value = keep && r.json.Collections && keep in r.json.Collections ? keep : "";
    browse();
  }
  async function browse() {
    if (!state.db) return;
    const collection = $("#collectionSelect").value;
    const prefix = $("#idPrefix").value;
    const start = state.page * state.pageSize;
    let r;
    if (collection) {
      // A collection walk in write order: no index involved.
      const rql = "from '" + collection.replace(/'/g, "\\'") + "' limit " + state.pageSize + " offset " + start;
      r = await api("POST", dbPath("/queries"), JSON.stringify({ Query: rql }));
    } else {
      r = await api("GET", dbPath("/docs?startsWith=" + enc(prefix) + "&start=" + start + "&pageSize=" + state.pageSize));
    }
    const body = $("#docList tbody");
    body.innerHTML = "";
    if (!r.ok) { $("#pageInfo").textContent = errorText(r); return; }
    let docs = r.json.Results || [];
    if (collection && prefix) docs = docs.filter((d) => d["@metadata"]["@id"].toLowerCase().startsWith(prefix.toLowerCase()));
    docs.forEach((d) => {
      const tr = document.createElement("tr");
      tr.className = "clickable doc-row";
      tr.dataset.id = d["@metadata"]["@id"];
      tr.innerHTML = "<td></td><td></td>";
      tr.children[0].textContent = d["@metadata"]["@id"];
      tr.children[1].textContent = d["@metadata"]["@collection"] || "";
      tr.addEventListener("click", () => loadDoc(tr.dataset.id));
      body.appendChild(tr);
    });
    $("#pageInfo").textContent = "page " + (state.page + 1) + " · " + docs.length + " shown";
    $("#nextPage").disabled = (r.json.Results || []).length < state.pageSize;
    $("#prevPage").disabled = state.page === 0;
  }
  $("#browse").addEventListener("click", () => { state.page = 0; browse(); });
  $("#collectionSelect").addEventListener("change", () => { state.page = 0; browse(); });
  $("#nextPage").addEventListener("click", () => { state.page++; browse(); });
  $("#prevPage").addEventListener("click", () => { if (state.page > 0) { state.page--; browse(); } });

  function docMessage(kind, text) {
    const el = $("#docMessage");
    el.className = "message " + (kind || "");
    el.textContent = text;
  }
  async function loadDoc(id) {
    const r = await api("GET", dbPath("/docs?id=" + enc(id)));
    if (!r.ok) { docMessage("error", errorText(r)); return; }
    $("#docId").value = id;
    const doc = r.json;
    state.loadedChangeVector = doc["@metadata"] ? doc["@metadata"]["@change-vector"] : null;
    state.loadedId = id; // the change vector belongs to this id: saving under another id is a plain create
    // The editor shows the user's properties and @collection; the server keeps the rest of @metadata.
    const shown = Object.assign({}, doc);
    const meta = shown["@metadata"] || {};
    delete shown["@metadata"];
    if (meta["@collection"]) shown["@metadata"] = { "@collection": meta["@collection"] };
    $("#docEditor").value = JSON.stringify(shown, null, 2);
    docMessage("", "Loaded " + id + " (change vector " + state.loadedChangeVector + ")");
  }
  $("#loadDoc").addEventListener("click", () => { const id = $("#docId").value.trim(); if (id) loadDoc(id); });
  $("#newDoc").addEventListener("click", () => {
    state.loadedChangeVector = null;
    $("#docId").value = "";
    $("#docEditor").value = "{\n  \"Name\": \"\",\n  \"@metadata\": { \"@collection\": \"Users\" }\n}";
    docMessage("", "New document: give it an id and save.");
  });
  $("#saveDoc").addEventListener("click", async () => {
    const id = $("#docId").value.trim();
    const text = $("#docEditor").value;
    if (!id) { docMessage("error", "Give the document an id."); return; }
    const problem = jsonCheck(text);
    if (problem) {
      docMessage("error", "Invalid JSON at line " + problem.line + ", column " + problem.column + ": " + problem.message);
      selectPosition($("#docEditor"), problem.line, problem.column);
      return;
    }
    const headers = state.loadedChangeVector && id === state.loadedId ? { "If-Match": state.loadedChangeVector } : {};
    const r = await api("PUT", dbPath("/docs?id=" + enc(id)), text, headers);
    if (r.status === 409) {
      docMessage("error", "Conflict: someone changed " + id + " after you loaded it, so your save was refused "
        + "(nothing was overwritten). " + ((r.json && r.json.Message) || "") + " Load it again to see the current version.");
      return;
    }
    if (!r.ok) { docMessage("error", errorText(r)); return; }
    state.loadedChangeVector = r.json.ChangeVector;
    state.loadedId = id;
    docMessage("ok", "Saved " + r.json.Id + " (change vector " + r.json.ChangeVector + ")");
    browse();
  });
  $("#deleteDoc").addEventListener("click", async () => {
    const id = $("#docId").value.trim();
    if (!id || !confirm("Delete " + id + "?")) return;
    const headers = state.loadedChangeVector && id === state.loadedId ? { "If-Match": state.loadedChangeVector } : {};
    const r = await api("DELETE", dbPath("/docs?id=" + enc(id)), null, headers);
    if (r.status === 409) { docMessage("error", "Conflict: " + id + " changed after you loaded it; not deleted. Load it again."); return; }
    if (!r.ok) { docMessage("error", errorText(r)); return; }
    docMessage("ok", "Deleted " + id);
    $("#docEditor").value = "";
    state.loadedChangeVector = null;
    browse();
  });
  function selectPosition(textarea, line, column) {
    const lines = textarea.value.split("\n");
    let offset = 0;
    for (let i = 0; i < line - 1 && i < lines.length; i++) offset += lines[i].length + 1;
    offset += column - 1;
    textarea.focus();
    textarea.setSelectionRange(offset, Math.min(textarea.value.length, offset + 1));
  }

  // ---- query -----------------------------------------------------------------------------------------------
  async function runQuery() {
    if (!state.db) return;
    const started = performance.now();
    const r = await api("POST", dbPath("/queries"), JSON.stringify({ Query: $("#rql").value,
      WaitForNonStaleResults: $("#waitNonStale").checked }));
    const elapsed = Math.round(performance.now() - started);
    $("#queryError").className = "message";
    $("#queryError").textContent = "";
    if (!r.ok) {
      $("#queryError").className = "message error";
      $("#queryError").textContent = errorText(r);
      $("#queryStats").textContent = "";
      return;
    }
    const j = r.json;
    state.queryResults = j.Results || [];
    const stats = $("#queryStats");
    stats.innerHTML = "";
    [["TotalResults", j.TotalResults], ["IsStale", j.IsStale], ["IndexName", j.IndexName === null ? "(collection walk)" : j.IndexName],
      ["Server ms", j.DurationInMs], ["Round trip ms", elapsed]].forEach(([k, v]) => {
      const s = document.createElement("span");
      s.id = "q" + k.replace(/\s/g, "");
      s.textContent = k + ": " + v;
      stats.appendChild(s);
    });
    renderResults();
  }
  function renderResults() {
    const rows = state.queryResults;
    const columns = ["@id"];
    rows.forEach((d) => Object.keys(d).forEach((k) => { if (k !== "@metadata" && !columns.includes(k)) columns.push(k); }));
    const head = $("#resultTable thead");
    const body = $("#resultTable tbody");
    head.innerHTML = "";
    body.innerHTML = "";
    const htr = document.createElement("tr");
    columns.forEach((c) => { const th = document.createElement("th"); th.textContent = c; htr.appendChild(th); });
    head.appendChild(htr);
    rows.forEach((d) => {
      const tr = document.createElement("tr");
      columns.forEach((c) => {
        const td = document.createElement("td");
        const v = c === "@id" ? (d["@metadata"] || {})["@id"] : d[c];
        td.textContent = v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v);
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    $("#resultRaw").textContent = JSON.stringify(rows, null, 2);
  }
  $("#runQuery").addEventListener("click", runQuery);
  $("#rql").addEventListener("keydown", (e) => { if (e.key === "Enter" && e.ctrlKey) runQuery(); });
  $("#viewTable").addEventListener("click", () => toggleRaw(false));
  $("#viewRaw").addEventListener("click", () => toggleRaw(true));
  function toggleRaw(raw) {
    $("#resultTable").hidden = raw;
    $("#resultRaw").hidden = !raw;
    $("#viewTable").classList.toggle("active", !raw);
    $("#viewRaw").classList.toggle("active", raw);
  }

  // ---- indexes ---------------------------------------------------------------------------------------------
  async function refreshIndexes() {
    if (!state.db) return;
    const r = await api("GET", dbPath("/indexes/stats"));
    if (!r.ok) return;
    const body = $("#indexTable tbody");
    const seen = new Set();
    (r.json.Results || []).forEach((s) => {
      seen.add(s.Name);
      let tr = body.querySelector("tr[data-index='" + CSS.escape(s.Name) + "']");
      if (!tr) {
        tr = document.createElement("tr");
        tr.dataset.index = s.Name;
        tr.innerHTML = "<td class='name'></td><td class='state'></td><td class='entries'></td><td class='lag'></td>"
          + "<td><div class='progress'><div class='bar'></div><div class='label'></div></div></td>"
          + "<td class='rate'></td><td class='nice'></td><td><select class='priority'><option value='Low'>Low</option>"
          + "<option value='Normal'>Normal</option><option value='High'>High</option></select></td><td class='errors'></td>"
          + "<td><button class='pause'>Pause</button> <button class='resume'>Resume</button> "
          + "<button class='reset'>Reset</button> <button class='danger delete'>Delete</button></td>";
        const name = s.Name;
        tr.querySelector(".priority").addEventListener("change", (e) => setPriority(name, e.target.value));
        tr.querySelector(".pause").addEventListener("click", () => indexAction("POST", "/admin/indexes/stop?name=" + enc(name)));
        tr.querySelector(".resume").addEventListener("click", () => indexAction("POST", "/admin/indexes/start?name=" + enc(name)));
        tr.querySelector(".reset").addEventListener("click", () => indexAction("RESET", "/indexes?name=" + enc(name)));
        tr.querySelector(".delete").addEventListener("click", () => {
          if (confirm("Delete index " + name + "?")) indexAction("DELETE", "/indexes?name=" + enc(name));
        });
        tr.querySelector(".errors").addEventListener("click", () => showErrors(name));
        body.appendChild(tr);
      }
      tr.classList.toggle("replacement", s.Name.startsWith("ReplacementOf/"));
      tr.querySelector(".name").textContent = s.Name + " (" + s.Collection + ")";
      tr.querySelector(".state").textContent = s.State + (s.IsStale ? ", stale" : "");
      tr.querySelector(".entries").textContent = s.Entries;
      tr.querySelector(".lag").textContent = s.LagDocuments + " / " + s.LagEtags;
      const p = s.Progress || { Percent: 100 };
      tr.querySelector(".bar").style.width = p.Percent + "%";
      tr.querySelector(".progress").dataset.percent = p.Percent;
      tr.querySelector(".label").textContent = p.Percent + "% (" + p.Processed + "/" + p.Total + ")"
        + (p.EtaSeconds !== null && p.EtaSeconds !== undefined ? " ETA " + p.EtaSeconds + " s" : "");
      tr.querySelector(".rate").textContent = p.DocumentsPerSecond;
      tr.querySelector(".nice").textContent = s.EffectiveNice === null ? "?" : s.EffectiveNice;
      const select = tr.querySelector(".priority");
      if (document.activeElement !== select) select.value = s.Priority;
      tr.querySelector(".errors").textContent = s.ErrorsCount;
      tr.querySelector(".errors").style.cursor = s.ErrorsCount ? "pointer" : "";
    });
    body.querySelectorAll("tr").forEach((tr) => { if (!seen.has(tr.dataset.index)) tr.remove(); });
  }
  async function setPriority(name, priority) {
    const r = await api("POST", dbPath("/indexes/set-priority"), JSON.stringify({ IndexNames: [name], Priority: priority }));
    if (!r.ok && r.status !== 401 && r.status !== 403) status("error", errorText(r));
    else if (r.ok) status("info", "Priority of " + name + " set to " + priority + ".");
    refreshIndexes();
  }
  async function indexAction(method, rest) {
    const r = await api(method, dbPath(rest));
    if (!r.ok && r.status !== 401 && r.status !== 403) status("error", errorText(r));
    refreshIndexes();
  }
  async function showErrors(name) {
    const r = await api("GET", dbPath("/indexes/errors?name=" + enc(name)));
    if (!r.ok) return;
    const e = r.json.Results[0];
    $("#indexErrors").textContent = e.Total === 0 ? "No errors in " + name + "."
      : name + ": " + e.Total + " error(s)\n" + e.Errors.map((x) => x.Document + " (etag " + x.Etag + "): " + x.Error).join("\n");
  }
  $("#putIndex").addEventListener("click", async () => {
    const text = $("#newIndex").value;
    const problem = jsonCheck(text);
    if (problem) { $("#putIndexResult").textContent = "Invalid JSON at line " + problem.line + ", column " + problem.column + ": " + problem.message; return; }
    const r = await api("PUT", dbPath("/admin/indexes"), text);
    $("#putIndexResult").textContent = r.ok ? r.json.Results.map((x) => x.Name + ": " + x.Outcome).join(", ") : errorText(r);
    refreshIndexes();
  });

  // ---- charts (from /metrics) ------------------------------------------------------------------------------
  function parseMetrics(text) {
    const out = [];
    text.split("\n").forEach((line) => {
      if (!line || line[0] === "#") return;
      const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)/.exec(line);
      if (!m) return;
      const labels = {};
      if (m[3]) m[3].replace(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g, (_, k, v) => { labels[k] = v; });
      out.push({ name: m[1], labels: labels, value: parseFloat(m[4]) });
    });
    return out;
  }
  const sum = (samples, name, filter) => samples.filter((s) => s.name === name && (!filter || filter(s.labels)))
    .reduce((a, s) => a + s.value, 0);
  async function sample() {
    let r;
    try { r = await api("GET", "/metrics"); } catch (e) { return; }
    if (!r.ok) return;
    const m = parseMetrics(r.text);
    const perIndex = {};
    m.filter((s) => s.name === "blitdb_index_documents_per_second")
      .forEach((s) => { perIndex[s.labels.database + "/" + s.labels.index] = s.value; });
    state.samples.push({ t: Date.now(), requests: sum(m, "blitdb_http_request_duration_seconds_count", (l) => l.route !== "/metrics"),
      writes: sum(m, "blitdb_merger_writes_total"), commitSum: sum(m, "blitdb_commit_duration_seconds_sum"),
      commitCount: sum(m, "blitdb_commit_duration_seconds_count"), perIndex: perIndex });
    if (state.samples.length > 150) state.samples.shift(); // five minutes at one sample per 2 s
    if (current === "charts") drawCharts();
  }
  function rates(key) {
    const s = state.samples;
    const out = [];
    for (let i = 1; i < s.length; i++) out.push({ t: s[i].t, v: Math.max(0, (s[i][key] - s[i - 1][key]) / ((s[i].t - s[i - 1].t) / 1000)) });
    return out;
  }
  function commitLatency() {
    const s = state.samples;
    const out = [];
    for (let i = 1; i < s.length; i++) {
      const n = s[i].commitCount - s[i - 1].commitCount;
      out.push({ t: s[i].t, v: n > 0 ? 1000 * (s[i].commitSum - s[i - 1].commitSum) / n : 0 });
    }
    return out;
  }
  const COLORS = ["#2f6fde", "#e8710a", "#1e8e3e", "#c0392b", "#8e44ad", "#16a085", "#7f8c8d"];
  function plot(canvas, series) {
    const ctx = canvas.getContext("2d");
    const w = canvas.width, h = canvas.height, left = 48, bottom = 18;
    ctx.clearRect(0, 0, w, h);
    const all = series.flatMap((s) => s.points.map((p) => p.v));
    const max = Math.max(1e-9, ...all, 0) * 1.1 || 1;
    const now = Date.now(), span = 5 * 60 * 1000;
    ctx.strokeStyle = "#d9dde6"; ctx.fillStyle = "#6b7385"; ctx.font = "11px sans-serif";
    for (let i = 0; i <= 4; i++) {
      const y = (h - bottom) * (1 - i / 4);
      ctx.beginPath(); ctx.moveTo(left, y); ctx.lineTo(w, y); ctx.stroke();
      ctx.fillText((max * i / 4).toPrecision(3), 2, y + 4);
    }
    ctx.fillText("-5 min", left, h - 4); ctx.fillText("now", w - 24, h - 4);
    series.forEach((s, k) => {
      ctx.strokeStyle = COLORS[k % COLORS.length]; ctx.lineWidth = 2; ctx.beginPath();
      s.points.forEach((p, i) => {
        const x = left + (w - left) * (1 - (now - p.t) / span), y = (h - bottom) * (1 - p.v / max);
        if (i === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
      });
      ctx.stroke();
    });
  }
  function drawCharts() {
    plot($("#chartRequests"), [{ points: rates("requests") }]);
    plot($("#chartWrites"), [{ points: rates("writes") }]);
    plot($("#chartCommit"), [{ points: commitLatency() }]);
    const names = [...new Set(state.samples.flatMap((s) => Object.keys(s.perIndex)))];
    plot($("#chartIndex"), names.map((n) => ({ points: state.samples.map((s) => ({ t: s.t, v: s.perIndex[n] || 0 })) })));
    $("#chartIndexLegend").innerHTML = "";
    names.forEach((n, k) => { const sp = document.createElement("span"); sp.style.color = COLORS[k % COLORS.length]; sp.textContent = "■ " + n; $("#chartIndexLegend").appendChild(sp); });
  }

  setInterval(() => { if (current === "indexes") refreshIndexes(); }, 1000);
  setInterval(sample, 2000);
  refreshDatabases();
  sample();
})();
