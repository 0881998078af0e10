// Numbers with their units; every figure on the page goes through here.

export function number(value, digits = 4) {
  if (value === null || value === undefined) return "–";
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs >= 1e6 || abs < 1e-3)) return value.toExponential(digits - 1);
  return Number(value.toPrecision(digits)).toString();
}

export function withUnit(value, unit, digits) {
  return number(value, digits) + (unit ? " " + unit : "");
}

export function utc(t_ms) {
  return new Date(t_ms).toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC");
}

/** "12 s ago", "3 min ago", "2.5 h ago", "4.1 d ago". */
export function ago(t_ms, now_ms = Date.now()) {
  const s = Math.max(0, (now_ms - t_ms) / 1000);
  if (s < 90) return Math.round(s) + " s ago";
  if (s < 5400) return Math.round(s / 60) + " min ago";
  if (s < 172800) return (s / 3600).toFixed(1) + " h ago";
  return (s / 86400).toFixed(1) + " d ago";
}

export function duration(s) {
  if (s < 120) return number(s, 3) + " s";
  if (s < 7200) return number(s / 60, 3) + " min";
  if (s < 172800) return number(s / 3600, 3) + " h";
  return number(s / 86400, 3) + " d";
}

export function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  if (className) node.className = className;
  return node;
}

/** A table from a header row and rows of cells (strings or nodes); `numeric` columns align right. */
export function table(headers, rows, numeric = []) {
  const t = document.createElement("table");
  const head = document.createElement("tr");
  headers.forEach((h, k) => {
    const th = el("th", h, numeric.includes(k) ? "num" : "");
    th.scope = "col";
    head.append(th);
  });
  const thead = document.createElement("thead");
  thead.append(head);
  const tbody = document.createElement("tbody");
  for (const row of rows) {
    const tr = document.createElement("tr");
    row.forEach((cell, k) => {
      const td = el("td", undefined, numeric.includes(k) ? "num" : "");
      if (cell instanceof Node) td.append(cell);
      else td.textContent = cell;
      tr.append(td);
    });
    tbody.append(tr);
  }
  t.append(thead, tbody);
  return t;
}
