import { get } from "./api.js";
import { el, number, table, utc } from "./format.js";

/** BDF-style column names spell their unit at the end; shown as "name (unit)". */
const UNITS = [
  ["_ampere_hour", "Ah"],
  ["_milliampere_hour_per_gram", "mAh/g"],
  ["_watt_hour", "Wh"],
  ["_second", "s"],
  ["_volt", "V"],
  ["_mol", "mol"],
  ["_newton_per_metre", "N/m"],
  ["_pascal", "Pa"],
  ["_percent", "%"],
];

function heading(column) {
  for (const [suffix, unit] of UNITS) {
    if (column.endsWith(suffix)) return column.slice(0, -suffix.length).replaceAll("_", " ") + " (" + unit + ")";
  }
  return column.replaceAll("_", " ");
}

const FIGURE_NAMES = {
  "versus-time": "Voltage versus time",
  "versus-capacity": "Voltage versus capacity",
  "stress-potential-loops": "Stress-thickness versus potential, per cycle",
  "gas-per-cycle": "Gas per cycle",
  dqdv: "dQ/dV by cycle",
};

/** The analysis of one board: the per-cycle table and the report's figures, re-read as cycles complete. */
export async function renderAnalysis(root, board) {
  let view;
  try {
    view = await get("analysis", { board });
  } catch (err) {
    root.body.replaceChildren(el("p", "No analysis for " + board + ": " + err.message));
    root.meta.textContent = "";
    return undefined;
  }
  root.meta.textContent =
    view.cycles.length + " cycles, " + view.points + " points at " + number(view.step_s, 3) + " s; test time 0 = " + utc(view.origin_us / 1000) + "; computed " + utc(view.computed_ms);
  const body = [];
  body.push(el("h3", "Per-cycle table"));
  if (view.table.rows.length === 0) body.push(el("p", "No complete cycle yet."));
  else {
    const numeric = view.table.columns.map((_, k) => k);
    const t = table(view.table.columns.map(heading), view.table.rows.map((row) => row.map((v) => number(v, 5))), numeric);
    t.id = "cycle-table";
    const scroller = el("div", undefined, "scroll");
    scroller.tabIndex = 0;
    scroller.setAttribute("role", "region");
    scroller.setAttribute("aria-label", "Per-cycle table");
    scroller.append(t);
    body.push(scroller);
  }
  const figures = el("div", undefined, "figures");
  for (const [name, svg] of Object.entries(view.figures)) {
    const figure = el("figure");
    figure.id = "figure-" + name;
    // The SVG is the server's own report figure, with text escaped by the renderer.
    figure.innerHTML = svg;
    const caption = el("figcaption", FIGURE_NAMES[name] || name);
    figure.prepend(caption);
    figures.append(figure);
  }
  body.push(figures);
  root.body.replaceChildren(...body);
  return view;
}
