import { adoptTokenFromAddress, get, onUnauthorised, setToken } from "./api.js";
import { Alarms } from "./alarms.js";
import { renderAnalysis } from "./analysis.js";
import { CellView } from "./cell.js";
import { CommandForm } from "./commands.js";
import { el } from "./format.js";
import { renderLab } from "./lab.js";
import { connectLive } from "./live.js";

const $ = (id) => document.getElementById(id);
const REGISTRY_POLL_ms = 5000;
const ANALYSIS_POLL_ms = 60_000;

adoptTokenFromAddress();

let registry = [];
let boards = [];
let view = "lab";
let viewBoard;

const cell = new CellView({ plots: $("cell-plots"), range: $("cell-range"), follow: $("cell-follow") });
const commands = new CommandForm($("command-form"), $("command-result"));
const unitOf = (board, channel) => boards.find((b) => b.board === board)?.channels.find((c) => c.id === channel)?.unit ?? "";
const alarms = new Alarms({ banner: $("alarm-banner"), active: $("alarms-active"), history: $("alarms-history"), user: $("alarm-user"), sound: $("sound"), units: unitOf });

// For tests and the benchmark: the page's state, read-only by convention.
window.cellrig = { cell, alarms, registry: () => registry };

onUnauthorised(() => {
  $("token-form").hidden = false;
  $("status").textContent = "access token needed";
});
$("token-form").addEventListener("submit", (e) => {
  e.preventDefault();
  setToken($("token").value);
  $("token-form").hidden = true;
  live.reconnect();
});

function rulesOf(board) {
  return registry.filter((b) => b.board === board).flatMap((b) => b.alarms.map((a) => a.rule));
}

async function refreshRegistry() {
  registry = await get("registry");
  if (view === "lab") renderLab($("lab"), registry);
  alarms.update(registry);
  if (viewBoard) commands.setRules(rulesOf(viewBoard));
}

async function refreshBoards() {
  boards = await get("boards");
  for (const id of ["cell-board", "analysis-board"]) {
    const select = $(id);
    const current = select.value;
    select.replaceChildren(...boards.map((b) => {
      const option = el("option", b.board + " (rig " + b.rig + ")");
      option.value = b.board;
      return option;
    }));
    if (current) select.value = current;
  }
}

/** #lab, #cell/<board>, #analysis/<board>, #alarms; a view without a board takes the first one. */
async function route() {
  const [name, board] = location.hash.replace(/^#/, "").split("/");
  view = ["lab", "cell", "analysis", "alarms"].includes(name) ? name : "lab";
  for (const v of ["lab", "cell", "analysis", "alarms"]) $("view-" + v).hidden = v !== view;
  for (const link of document.querySelectorAll("nav a")) {
    if (link.dataset.view === view) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  if (boards.length === 0) await refreshBoards();
  const chosen = board ? decodeURIComponent(board) : boards[0]?.board;
  if (view === "lab") renderLab($("lab"), registry);
  if (view === "alarms") await alarms.loadHistory();
  if (view === "cell" && chosen) {
    const entry = boards.find((b) => b.board === chosen);
    if (!entry) return;
    $("cell-board").value = chosen;
    $("cell-title").textContent = "Cell " + chosen + " (rig " + entry.rig + ")";
    if (viewBoard !== chosen || view !== "cell" || !cell.range) {
      viewBoard = chosen;
      commands.setBoard(chosen, entry.channels, rulesOf(chosen));
      await cell.open(chosen, entry.channels);
    }
  }
  if (view === "analysis" && chosen) {
    $("analysis-board").value = chosen;
    $("analysis-title").textContent = "Analysis " + chosen;
    await renderAnalysis({ body: $("analysis"), meta: $("analysis-meta") }, chosen);
  }
}

$("cell-board").addEventListener("change", (e) => (location.hash = "#cell/" + encodeURIComponent(e.target.value)));
$("analysis-board").addEventListener("change", (e) => (location.hash = "#analysis/" + encodeURIComponent(e.target.value)));
for (const b of document.querySelectorAll("[data-range]")) b.addEventListener("click", () => {
  cell.follow = $("cell-follow").checked = true;
  cell.preset(b.dataset.range);
});
for (const b of document.querySelectorAll("[data-pan]")) b.addEventListener("click", () => cell.pan(Number(b.dataset.pan)));
for (const b of document.querySelectorAll("[data-zoom]")) b.addEventListener("click", () => cell.zoom(Number(b.dataset.zoom)));
$("cell-follow").addEventListener("change", (e) => (cell.follow = e.target.checked));
window.addEventListener("hashchange", () => route().catch(showError));

function showError(err) {
  $("status").textContent = err.message;
}

let registryTimer;
function registrySoon() {
  clearTimeout(registryTimer);
  registryTimer = setTimeout(() => refreshRegistry().catch(showError), 100);
}

const live = connectLive({
  onStatus: (text) => ($("status").textContent = text),
  onOpen: () => {
    refreshBoards().then(refreshRegistry).then(route).catch(showError);
  },
  onEvent: (event) => {
    switch (event.type) {
      case "samples":
        if (view === "cell") cell.onSamples(event);
        break;
      case "registry": {
        const k = registry.findIndex((b) => b.board === event.board);
        if (k >= 0) registry[k] = event.status;
        else registry.push(event.status);
        alarms.update(registry);
        if (view === "lab") renderLab($("lab"), registry);
        break;
      }
      case "alarm":
        refreshRegistry().catch(showError);
        if (view === "alarms") alarms.loadHistory().catch(showError);
        break;
      case "birth":
      case "death":
        refreshBoards().then(refreshRegistry).catch(showError);
        break;
      default:
        registrySoon();
    }
  },
});

setInterval(() => refreshRegistry().catch(showError), REGISTRY_POLL_ms);
setInterval(() => {
  if (view === "analysis") renderAnalysis({ body: $("analysis"), meta: $("analysis-meta") }, $("analysis-board").value).catch(showError);
}, ANALYSIS_POLL_ms);
