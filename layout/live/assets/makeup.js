// Make-up on the live proof: move, resize, pin and swap modules; re-compose; undo and redo.
// A held module snaps to whole columns and lines; its target outline says whether it fits there
// and how many body lines it holds, as the server measures it (/api/fit). A drop is sent as one
// edit (/api/layout); the server writes the page's layout file, rebuilds, and answers with the page.
// Needs app.js (state, svgEl, render). Plain script, no build step.
"use strict";
const makeup = {
  on: false,
  editor: (crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2)).slice(0, 36),
  held: null, // the gesture in progress: {page, module, mode, slot, target, ...}
  swapping: null, // {page, file}: the module a swap starts from
  fits: new Map(), // "page|proof|file|columns|lines" → the server's answer
  proofTimes: [], // ms from a drop to its new proof shown: read by the benchmark
};
const HANDLE = 5; // pt: the width of a resize edge

function setMakeup(on) {
  makeup.on = on;
  document.body.classList.toggle("makeup", on);
  cancelGesture();
}

// The grid's geometry, in the overlay's points.
function gridOf(o) {
  const g = o.grid;
  const left = g.columns[0][0];
  const width = g.columns[0][1];
  const pitch = g.columns.length > 1 ? g.columns[1][0] - left : width;
  return { ...g, left, width, pitch, gutter: pitch - width, count: g.columns.length };
}
const columnAt = (g, x) => Math.floor((x - g.left + g.gutter / 2) / g.pitch);
const rowAt = (g, y) => Math.floor((y - g.top) / g.line);
const slotRect = (g, [c, n, r, k]) =>
  ({ x: g.left + c * g.pitch, y: g.top + r * g.line, width: n * g.pitch - g.gutter, height: k * g.line });

function toPage(svg, event) {
  const point = svg.createSVGPoint();
  point.x = event.clientX;
  point.y = event.clientY;
  return point.matrixTransform(svg.getScreenCTM().inverse());
}

// Why a slot cannot be taken, as the server would refuse it; null if it can.
function refusal(page, file, [c, n, r, k]) {
  const g = gridOf(page.overlay);
  const [first, end] = g.free;
  if (n < 1 || k < 1 || c < 0 || c + n > g.count) return `off the grid: columns 1–${g.count}`;
  if (r + k > end) return `off the grid: a module ends at line ${end} or above`;
  if (r < first) return `in the banner: a module starts at line ${first + 1} or below`;
  const pinned = page.overlay.modules
    .filter((m) => m.file !== file && page.pinned.includes(m.file))
    .map((m) => [m.file + ", which is pinned", m.slot])
    .concat((page.overlay.ads || []).filter((ad) => ad.slot).map((ad) => [`the ad ${ad.name}`, ad.slot]));
  for (const [name, [oc, on, or, ok]] of pinned) {
    const shared = c < oc + on && oc < c + n;
    if (shared && r < or + ok + 1 && or < r + k + 1) return `overlaps ${name}`;
    if (shared && (c !== oc || n !== on) && n !== g.count && on !== g.count) {
      return `shares some of the columns of ${name}, not all`;
    }
  }
  return null;
}

// Draw the make-up's handles on each module: its four edges and corner, pin and swap.
function decorate(svg, page) {
  if (!page.overlay) return;
  const layer = svgEl("g", { class: "makeup-layer" });
  const rects = svg.querySelectorAll("rect.module"); // drawn in the overlay's order
  page.overlay.modules.forEach((m, index) => {
    if (m.rest) return; // the rest of another page's article (上接): the composer places it
    const [x, y, w, h] = m.box;
    const pinned = page.pinned.includes(m.file);
    const rect = rects[index];
    rect.classList.toggle("pinned", pinned);
    rect.addEventListener("pointerdown", (e) => start(e, svg, page, m, "move"));
    const edges = {
      e: [x + w - HANDLE, y, HANDLE, h], w: [x, y, HANDLE, h],
      s: [x, y + h - HANDLE, w, HANDLE], n: [x, y, w, HANDLE], se: [x + w - 2 * HANDLE, y + h - 2 * HANDLE, 2 * HANDLE, 2 * HANDLE],
    };
    for (const [edge, [hx, hy, hw, hh]] of Object.entries(edges)) {
      const handle = svgEl("rect", { class: `handle handle-${edge}`, x: hx, y: hy, width: hw, height: hh });
      handle.dataset.file = m.file;
      handle.dataset.edge = edge;
      handle.addEventListener("pointerdown", (e) => start(e, svg, page, m, edge));
      layer.appendChild(handle);
    }
    layer.appendChild(button(x + w - 4, y + 4, pinned ? "unpin" : "pin", m.file,
      () => send(page, { action: pinned ? "unpin" : "pin", article: m.file })));
    layer.appendChild(button(x + w - 40, y + 4, "swap", m.file, () => swapFrom(page, m)));
  });
  svg.appendChild(layer);
}

function button(right, top, label, file, act) {
  const group = svgEl("g", { class: `control control-${label}`, role: "button" });
  group.dataset.file = file;
  const text = svgEl("text", { x: right - 3, y: top + 9 }, label);
  group.append(svgEl("rect", { x: right - 34, y: top, width: 34, height: 12, rx: 2 }), text);
  group.addEventListener("pointerdown", (e) => e.stopPropagation());
  group.addEventListener("click", (e) => { e.stopPropagation(); act(); });
  return group;
}

function swapFrom(page, m) {
  if (makeup.swapping && makeup.swapping.page === page.id && makeup.swapping.file !== m.file) {
    const first = makeup.swapping.file;
    makeup.swapping = null;
    document.body.classList.remove("swapping");
    send(page, { action: "swap", article: first, other: m.file });
    return;
  }
  makeup.swapping = { page: page.id, file: m.file };
  document.body.classList.add("swapping");
  notice(page, `swap ${m.file} with… (click swap on the other module; Esc cancels)`);
}

function start(event, svg, page, m, mode) {
  if (!makeup.on || event.button !== 0 || pageElement(page).classList.contains("busy")) return;
  if (makeup.swapping) {
    event.stopPropagation();
    return swapFrom(page, m);
  }
  event.preventDefault();
  event.stopPropagation();
  const g = gridOf(page.overlay);
  const at = toPage(svg, event);
  const target = svgEl("rect", { class: "target" });
  const label = svgEl("text", { class: "target-label" });
  svg.append(target, label);
  makeup.held = {
    page, svg, module: m, mode, target, label, slot: m.slot, moved: false,
    grab: [columnAt(g, at.x) - m.slot[0], rowAt(g, at.y) - m.slot[2]], from: [event.clientX, event.clientY],
  };
  svg.setPointerCapture(event.pointerId);
  svg.onpointermove = (e) => follow(e);
  svg.onpointerup = (e) => drop(e);
  svg.onpointercancel = () => cancelGesture();
  show(makeup.held);
}

// The slot under the pointer, snapped to whole columns and lines.
function snapped(held, at) {
  const g = gridOf(held.page.overlay);
  const [c, n, r, k] = held.module.slot;
  const col = Math.round((at.x - g.left) / g.pitch); // the nearest column edge on the left
  const end = Math.round((at.x - g.left + g.gutter) / g.pitch); // on the right
  const line = Math.round((at.y - g.top) / g.line);
  switch (held.mode) {
    case "move": return [columnAt(g, at.x) - held.grab[0], n, rowAt(g, at.y) - held.grab[1], k];
    case "e": return [c, end - c, r, k];
    case "w": return [col, c + n - col, r, k];
    case "s": return [c, n, r, line - r];
    case "n": return [c, n, line, r + k - line];
    default: return [c, end - c, r, line - r]; // se
  }
}

function follow(event) {
  const held = makeup.held;
  if (!held) return;
  if (Math.hypot(event.clientX - held.from[0], event.clientY - held.from[1]) > 3) held.moved = true;
  const slot = snapped(held, toPage(held.svg, event));
  if (slot.join() !== held.slot.join()) {
    held.slot = slot;
    show(held);
  }
}

// Draw the target outline and say what the module does there.
function show(held) {
  const { page, target, label } = held;
  const g = gridOf(page.overlay);
  const [c, n, r, k] = held.slot;
  const box = slotRect(g, [c, Math.max(n, 1), r, Math.max(k, 1)]);
  for (const [key, value] of Object.entries(box)) target.setAttribute(key, value);
  label.setAttribute("x", box.x + 3);
  label.setAttribute("y", box.y + box.height - 5);
  held.refused = refusal(page, held.module.file, held.slot);
  delete label.dataset.linesUsed; // the figures are the slot's: none until it is measured
  delete label.dataset.linesAvailable;
  const where = `${n} col × ${k} lines at column ${c + 1}, line ${r + 1}`;
  if (held.refused) {
    setOutline(held, "refused", `${where} — refused: ${held.refused}`);
    return;
  }
  setOutline(held, "measuring", `${where} — measuring…`);
  fitOf(page, held.module.file, n, k).then((fit) => {
    if (makeup.held !== held || held.slot.join() !== [c, n, r, k].join()) return;
    if (!fit.ok) return setOutline(held, "refused", `${where} — ${fit.reason}`);
    const lines = `${fit.lines_used} / ${fit.lines_available} lines`;
    const state = fit.fits ? "fits" : fit.overset ? "overset" : "short";
    const said = fit.fits ? "fits" : fit.overset ? `${fit.overset} lines overset` : `${fit.hole} empty lines`;
    const heights = fit.heights.length ? `; fills ${fit.heights[0]}–${fit.heights[fit.heights.length - 1]} lines` : "";
    setOutline(held, state, `${where} — ${said}: ${lines}${fit.fits ? "" : heights}`);
    label.dataset.linesUsed = fit.lines_used;
    label.dataset.linesAvailable = fit.lines_available;
  });
}

function setOutline(held, state, text) {
  held.target.setAttribute("class", "target " + state);
  held.label.setAttribute("class", "target-label " + state);
  held.label.textContent = text;
  held.label.dataset.state = state;
}

async function fitOf(page, file, columns, lines) {
  const key = [page.id, page.proof, file, columns, lines].join("|");
  if (!makeup.fits.has(key)) {
    const query = new URLSearchParams({ article: file, columns, lines });
    makeup.fits.set(key, fetch(`/api/fit/${encodeURIComponent(page.id)}?${query}`).then(async (r) =>
      r.ok ? { ok: true, ...(await r.json()) } : { ok: false, reason: await r.text() }));
  }
  return makeup.fits.get(key);
}

function drop(event) {
  const held = makeup.held;
  if (!held) return;
  cancelGesture();
  if (!held.moved) {
    if (held.mode === "move") showInfo(held.page, held.module);
    return;
  }
  if (held.refused) return notice(held.page, `not moved: ${held.refused}`);
  const [c, n, r, k] = held.slot;
  const action = held.mode === "move" ? "move" : "resize";
  send(held.page, { action, article: held.module.file, slot: { column: c + 1, columns: n, line: r + 1, lines: k } });
}

function cancelGesture() {
  const held = makeup.held;
  makeup.held = null;
  if (!held) return;
  held.target.remove();
  held.label.remove();
  held.svg.onpointermove = held.svg.onpointerup = held.svg.onpointercancel = null;
}

// One edit, undo or redo: the page is rebuilt and drawn from the server's answer.
async function send(page, edit, step) {
  const el = pageElement(page);
  el.classList.add("busy");
  notice(page, step ? `${step}…` : `${edit.action}${edit.article ? " " + edit.article : ""}: building…`);
  const sent = performance.now();
  const url = `/api/layout/${encodeURIComponent(page.id)}${step ? "/" + step : ""}`;
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Editor": makeup.editor },
      body: step ? "" : JSON.stringify(edit),
    });
    if (!response.ok) return notice(page, `refused: ${await response.text()}`);
    const shown = await response.json();
    const img = el.querySelector("img");
    img.addEventListener("load", () => makeup.proofTimes.push(performance.now() - sent), { once: true });
    render(shown);
    notice(page, shown.error ? "built with problems: see above" : `done in ${((performance.now() - sent) / 1000).toFixed(1)} s`);
  } catch (error) {
    notice(page, `not sent: ${error}`);
  } finally {
    el.classList.remove("busy");
  }
}

function notice(page, text) {
  const el = pageElement(page).querySelector(".notice");
  el.classList.remove("elsewhere");
  el.textContent = text;
  el.hidden = !text;
}

// Another editor's edit: the page they made is shown, and this editor is told (the last edit wins).
function heard(message) {
  if (!message.editor || message.editor === makeup.editor) return;
  const page = state.pages[message.id];
  if (!page) return;
  if (makeup.held && makeup.held.page.id === page.id) cancelGesture();
  notice(page, `another editor changed this page (${message.edit}); it is shown as they left it — the last edit wins`);
  pageElement(page).querySelector(".notice").classList.add("elsewhere");
}

function deskControls(el, page) {
  for (const step of ["undo", "redo"]) {
    const b = el.querySelector("button." + step);
    b.disabled = !page[step];
    b.onclick = () => send(state.pages[page.id], null, step);
  }
  el.querySelector("button.recompose").onclick = () => send(state.pages[page.id], { action: "recompose" });
  el.querySelector(".layout-file").textContent = page.layout_file ? `make-up: ${page.layout_file}` : "";
}

document.getElementById("make-up").addEventListener("change", (e) => setMakeup(e.target.checked));
document.addEventListener("keydown", (e) => {
  if (e.key !== "Escape") return;
  cancelGesture();
  makeup.swapping = null;
  document.body.classList.remove("swapping");
});
