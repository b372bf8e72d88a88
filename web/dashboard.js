// The dashboard page: polls the JSON endpoints (docs/dashboard.md) every REFRESH_MS and redraws
// uPlot charts and tables in place, without reloading. It reads nothing but those endpoints.
"use strict";

const REFRESH_MS = 1500;
const COLORS = { in: "#2f5fd0", written: "#1b7f3b", unmatched: "#d08a2f", rejected: "#b3261e", lag: "#7a3fc4", batch: "#0f8a8a" };

// What the browser test reads: how many points each chart holds.
window.dashboardState = { pipelinePoints: 0, minutePoints: 0, pipelineUpdates: 0, dataUpdates: 0 };

const $ = (id) => document.getElementById(id);

function text(tag, content, cls) {
  const el = document.createElement(tag);
  el.textContent = content;
  if (cls) el.className = cls;
  return el;
}

function row(cells) {
  const tr = document.createElement("tr");
  for (const c of cells) tr.appendChild(c instanceof Node ? c : text("td", String(c)));
  return tr;
}

function fillTable(id, rows) {
  const body = $(id).querySelector("tbody");
  body.replaceChildren(...rows);
}

function showError(id, message) {
  const el = $(id);
  el.hidden = !message;
  el.textContent = message || "";
}

function setPill(id, ok, label) {
  const el = $(id);
  el.textContent = label;
  el.className = "pill " + (ok ? "ok" : "bad");
}

// Fetches JSON; a non-2xx answer throws its {"error"} message.
async function getJson(path) {
  const response = await fetch(path, { cache: "no-store" });
  let body = null;
  try { body = await response.json(); } catch (e) { /* not JSON */ }
  if (!response.ok) throw new Error((body && body.error) || `HTTP ${response.status} from ${path}`);
  return body;
}

// One uPlot chart that follows its container's width.
function makeChart(id, series, opts = {}) {
  const el = $(id);
  const chart = new uPlot({
    width: Math.max(el.clientWidth, 300), height: 200,
    series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.color, fill: s.fill, width: 2, spanGaps: false,
                                          paths: s.bars ? uPlot.paths.bars({ size: [0.8] }) : undefined, points: { show: false } }))],
    axes: [{}, { size: 60 }],
    scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(max, opts.minMax || 1)] } },
    legend: { live: false },
  }, [[], ...series.map(() => [])], el);
  new ResizeObserver(() => chart.setSize({ width: Math.max(el.clientWidth, 300), height: 200 })).observe(el);
  return chart;
}

const charts = {
  throughput: makeChart("chart-throughput", [
    { label: "in", color: COLORS.in }, { label: "written", color: COLORS.written },
    { label: "unmatched", color: COLORS.unmatched }, { label: "rejected", color: COLORS.rejected }]),
  lag: makeChart("chart-lag", [{ label: "lag", color: COLORS.lag, fill: "rgba(122,63,196,0.12)" }]),
  batch: makeChart("chart-batch", [{ label: "mean batch s", color: COLORS.batch }], { minMax: 0.01 }),
  perMinute: makeChart("chart-per-minute", [{ label: "ratings", color: COLORS.in, fill: "rgba(47,95,208,0.5)", bars: true }]),
};

async function refreshPipeline() {
  try {
    const p = await getJson("/api/pipeline");
    const s = p.samples;
    const t = s.map((x) => x.t / 1000);
    charts.throughput.setData([t, s.map((x) => x.records_in), s.map((x) => x.written), s.map((x) => x.unmatched), s.map((x) => x.rejected)]);
    charts.lag.setData([t, s.map((x) => x.lag)]);
    charts.batch.setData([t, s.map((x) => x.batch_seconds)]);
    $("total-records-in").textContent = p.totals.records_in.toLocaleString();
    $("total-written").textContent = p.totals.written.toLocaleString();
    $("total-unmatched").textContent = p.totals.unmatched.toLocaleString();
    $("total-rejected").textContent = p.totals.rejected.toLocaleString();
    $("current-lag").textContent = p.lag === null ? "unknown" : p.lag.toLocaleString();
    $("cassandra-up").textContent = p.cassandra_up ? "up" : "DOWN";
    fillTable("rejections", Object.entries(p.rejected_by_reason).map(([reason, n]) => row([reason, text("td", n.toLocaleString(), "num")])));
    const servers = (kind, list, detail) => (list || []).map((x) =>
      row([kind, x.address, detail(x.detail), text("td", x.reachable ? "reachable" : "UNREACHABLE", x.reachable ? "" : "bad")]));
    fillTable("servers", [...servers("Cassandra node", p.cassandra_nodes, (d) => d),
                          ...servers("Kafka broker", p.kafka_brokers, (d) => `id ${d}`)]);
    setPill("pipeline-status", p.cassandra_up, p.cassandra_up ? "pipeline running" : "Cassandra down");
    showError("pipeline-error", "");
    window.dashboardState.pipelinePoints = s.length;
    window.dashboardState.pipelineUpdates++;
  } catch (e) {
    setPill("pipeline-status", false, "pipeline unavailable");
    showError("pipeline-error", e.message);
  }
}

function ratingChips(latest) {
  const td = document.createElement("td");
  for (const r of latest) {
    const span = text("span", "", "rating");
    span.title = r.timestamp;
    span.appendChild(text("b", r.rating === null ? "–" : String(r.rating)));
    span.appendChild(document.createTextNode(r.movie));
    td.appendChild(span);
  }
  return td;
}

async function refreshData() {
  try {
    const o = await getJson("/api/overview");
    charts.perMinute.setData([o.ratings_per_minute.map((m) => m.t / 1000), o.ratings_per_minute.map((m) => m.count)]);
    fillTable("top-by-count", o.top_by_count.map((m) => row([m.movie, text("td", String(m.count), "num"), text("td", m.avg_rating === null ? "–" : m.avg_rating.toFixed(2), "num")])));
    fillTable("top-by-rating", o.top_by_rating.map((m) => row([m.movie, text("td", m.avg_rating.toFixed(2), "num"), text("td", String(m.count), "num")])));
    $("min-for-average").textContent = `(at least ${o.min_ratings_for_average} ratings)`;
    // The counts and top lists cover only the people and ratings read within the bounds.
    const partial = $("ratings-partial");
    partial.hidden = !o.ratings_truncated;
    partial.textContent = o.people_truncated ? `(partial: the first ${o.people.length} people only)`
                                             : "(partial: the most active people's oldest ratings of the hour left out)";
    fillTable("people", o.people.map((p) => row([text("td", p.name), ratingChips(p.latest)])));
    const list = $("people-list");
    if (list.children.length !== o.people.length) list.replaceChildren(...o.people.map((p) => { const opt = document.createElement("option"); opt.value = p.name; return opt; }));
    setPill("data-status", true, "Cassandra readable");
    showError("data-error", "");
    $("updated").textContent = "updated " + new Date().toLocaleTimeString();
    window.dashboardState.minutePoints = o.ratings_per_minute.filter((m) => m.count > 0).length;
    window.dashboardState.dataUpdates++;
  } catch (e) {
    setPill("data-status", false, "data unavailable");
    showError("data-error", e.message);
  }
}

// Q1 and Q2 from the form; the answer or the endpoint's error message shows below it.
async function ask(question) {
  const params = new URLSearchParams();
  for (const key of ["name", "from", "to", "tz"]) {
    const value = $("q-" + key).value.trim();
    if (value) params.set(key, value);
  }
  const out = $("q-result");
  out.replaceChildren();
  showError("q-error", "");
  try {
    const a = await getJson(`/api/${question}?${params}`);
    out.appendChild(text("div", `${a.name}, ${a.from} to ${a.to}`, "muted"));
    if (question === "q1") {
      const answer = text("div", a.avg_duration === null ? "no durations in this window" : `average duration: ${a.avg_duration} min`, "answer");
      answer.id = "q1-answer";
      answer.dataset.avgDuration = a.avg_duration ?? "";
      out.appendChild(answer);
      out.appendChild(text("div", `${a.ratings} ratings, ${a.without_duration} without a duration`, "muted"));
    } else {
      const table = document.createElement("table");
      table.id = "q2-answer";
      table.appendChild(row([text("th", "timestamp"), text("th", "movie")]));
      for (const m of a.movies) table.appendChild(row([m.timestamp, m.movie]));
      out.appendChild(text("div", `${a.count} movies${a.truncated ? " (first ones only)" : ""}`, "answer"));
      out.appendChild(table);
    }
  } catch (e) {
    showError("q-error", e.message);
  }
}

// The last hour, in UTC, as the form's default window.
function defaultWindow() {
  const pad = (n) => String(n).padStart(2, "0");
  const fmt = (d) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}Z`;
  const now = new Date(Date.now() + 60000);
  $("q-from").value = fmt(new Date(now - 3600000));
  $("q-to").value = fmt(now);
}

$("question-form").addEventListener("submit", (event) => {
  event.preventDefault();
  ask((event.submitter && event.submitter.dataset.question) || "q1");
});

defaultWindow();
refreshPipeline();
refreshData();
setInterval(refreshPipeline, REFRESH_MS);
setInterval(refreshData, REFRESH_MS);
