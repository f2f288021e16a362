// The live proof: pages as images with an SVG overlay in the page's points.
// Updates swap the image and overlay of one page in place, so zoom and scroll stay.
// Make-up (moving and resizing modules) is in makeup.js.
// Every text from the page's sources (file names, clients, headlines) is set as text, never as markup.
"use strict";
const SVG = "http://www.w3.org/2000/svg";
const state = { zoom: 1, pages: {} };
const pagesEl = document.getElementById("pages");
const DRAFT_NOTE = "DRAFT — the page does not fit. The proof is the best arrangement found, " +
  "its overset lines and holes drawn in magenta: not for print.\n\n";

function svgEl(name, attrs, text) {
  const el = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (text !== undefined) el.textContent = text;
  return el;
}

function pageElement(page) {
  let el = document.getElementById("page-" + page.id);
  if (!el) {
    el = document.createElement("section");
    el.className = "page";
    el.id = "page-" + page.id;
    el.innerHTML = '<h2><span class="name"></span><a class="pdf">PDF</a><a class="report">report JSON</a>' +
      '<span class="desk"><button class="undo">undo</button><button class="redo">redo</button>' +
      '<button class="recompose">re-compose</button><span class="layout-file"></span></span></h2>' +
      '<div class="error" hidden></div><div class="notice" hidden></div>' +
      '<div class="sheet"><img alt=""><svg></svg></div>';
    pagesEl.appendChild(el);
  }
  return el;
}

function drawOverlay(svg, page) {
  const o = page.overlay;
  svg.replaceChildren();
  if (!o) return;
  svg.setAttribute("viewBox", `0 0 ${o.page[0]} ${o.page[1]}`);
  const grid = svgEl("g", { class: "grid" });
  const bottom = o.grid.top + o.grid.rows * o.grid.line;
  for (const [x, w] of o.grid.columns) {
    grid.appendChild(svgEl("rect", { class: "grid-column", x, y: o.grid.top, width: w, height: bottom - o.grid.top }));
  }
  const left = o.grid.columns[0][0];
  const last = o.grid.columns[o.grid.columns.length - 1];
  for (let r = 0; r <= o.grid.rows; r++) {
    const y = o.grid.top + r * o.grid.line;
    grid.appendChild(svgEl("line", { class: "grid-line", x1: left, x2: last[0] + last[1], y1: y, y2: y }));
  }
  const modules = svgEl("g", { class: "modules" });
  for (const m of o.modules) {
    const [x, y, w, h] = m.box;
    const rect = svgEl("rect", { class: "module", x, y, width: w, height: h });
    rect.dataset.file = m.file;
    rect.addEventListener("click", () => { if (!makeup.on) showInfo(page, m); });
    modules.appendChild(rect);
    modules.appendChild(svgEl("text", { class: "label", x: x + 3, y: y + 11 }, m.file));
    for (const j of m.jumps || []) modules.appendChild(jumpEl(j, x, y, w, h));
  }
  const ads = svgEl("g", { class: "ads" });
  for (const ad of o.ads || []) {
    const [x, y, w, h] = ad.box;
    const rect = svgEl("rect", { class: "ad", x, y, width: w, height: h });
    rect.dataset.file = ad.file;
    rect.addEventListener("click", () => showRows([["ad", ad.name], ["artwork", ad.file],
      ["booked", ad.booked], ["box on the grid", ad.box_mm]]));
    ads.appendChild(rect);
    ads.appendChild(svgEl("text", { class: "ad-label", x: x + 3, y: y + 11 }, ad.name));
    ads.appendChild(svgEl("text", { class: "ad-size", x: x + 3, y: y + 21 }, ad.booked));
  }
  const findings = svgEl("g", { class: "findings" });
  const marks = (o.findings || []).concat(page.stale || []);
  marks.forEach((f, i) => {
    const [x, y, w, h] = f.box;
    findings.appendChild(svgEl("rect", { class: "finding", x: x + 2, y: y + 2, width: w - 4, height: h - 4 }));
    findings.appendChild(svgEl("text", { class: "finding-text", x: x + 4, y: y + h - 6 - 10 * (i % 3) }, f.message));
  });
  svg.append(grid, modules, ads, findings);
  decorate(svg, page); // makeup.js: its handles, drawn only while make-up is on
}

// 下转 at the foot of the module, 上接 at its head: a link to the page where it is shown here.
function jumpEl(j, x, y, w, h) {
  const at = { class: "jump jump-" + j.kind, x: x + w - 3, y: j.kind === "to" ? y + h - 4 : y + 11 };
  if (!j.href) return svgEl("text", at, j.label);
  const link = svgEl("a", { href: j.href, class: "jump-link" });
  link.appendChild(svgEl("text", at, j.label));
  return link;
}

function showInfo(page, m) {
  const cut = (page.problems || []).filter((p) => p.file === m.file).map((p) => p.message);
  const rows = [["article", m.path], ["headline", m.headline], ["characters", m.characters],
    ["lines used / available", `${m.lines_used} / ${m.lines_available}`]];
  const jumped = (m.jumps || []).find((j) => j.kind === "to");
  if (jumped) rows.push([`characters ${jumped.label}`, m.characters_continued]);
  if (cut.length) rows.push(["to fit", cut.join("\n")]);
  showRows(rows);
}

function showRows(rows) {
  const info = document.getElementById("info");
  info.innerHTML = "";
  const dl = document.createElement("dl");
  for (const [k, v] of rows) {
    const dt = document.createElement("dt"); dt.textContent = k;
    const dd = document.createElement("dd"); dd.textContent = v;
    dl.append(dt, dd);
  }
  info.appendChild(dl);
  info.hidden = false;
  info.onclick = () => { info.hidden = true; };
}

function render(page) {
  const el = pageElement(page);
  const previous = state.pages[page.id];
  // A failed build keeps the last good proof and overlay, or shows the draft proof of a page that
  // does not fit with its overlay; either way its problems are drawn on the modules they name.
  if (!page.overlay && previous) page.overlay = previous.overlay;
  page.stale = [];
  if (page.error && page.overlay) {
    for (const p of page.problems) {
      const m = page.overlay.modules.find((mod) => mod.file === p.file);
      if (m) page.stale.push({ kind: "error", box: m.box, message: p.message.split("\n")[0].slice(0, 90) });
    }
  }
  state.pages[page.id] = page;
  el.querySelector(".name").textContent = `${page.id} — ${page.directory}`;
  el.querySelector(".pdf").href = page.pdf || "#";
  el.querySelector(".report").href = page.report || "#";
  const error = el.querySelector(".error");
  error.hidden = !page.error;
  error.textContent = (page.draft ? DRAFT_NOTE : "") + (page.error || "");
  el.classList.toggle("draft", Boolean(page.draft));
  const sheet = el.querySelector(".sheet");
  if (page.overlay) {
    const [w, h] = page.overlay.page;
    sheet.style.width = `${w * state.zoom}px`;
    sheet.style.height = `${h * state.zoom}px`;
  }
  if (page.proof) el.querySelector("img").src = page.proof;
  drawOverlay(el.querySelector("svg"), page);
  deskControls(el, page);
}

function applyZoom() {
  document.getElementById("zoom-level").textContent = `${Math.round(state.zoom * 100)}%`;
  for (const page of Object.values(state.pages)) render(page);
}

async function load(id) {
  const response = await fetch("/api/pages", { cache: "no-store" });
  for (const page of await response.json()) {
    if (id === undefined || page.id === id) render(page);
  }
  // The pages are drawn after the document loads: an address naming one (a jump) scrolls now.
  if (id === undefined && location.hash) {
    document.getElementById(decodeURIComponent(location.hash.slice(1)))?.scrollIntoView();
  }
  document.getElementById("status").textContent = "updated " + new Date().toLocaleTimeString();
}

for (const name of ["grid", "modules", "ads", "findings"]) {
  const box = document.getElementById("show-" + name);
  const sync = () => document.body.classList.toggle("hide-" + name, !box.checked);
  box.addEventListener("change", sync);
  sync();
}
document.getElementById("zoom-in").onclick = () => { state.zoom = Math.min(4, state.zoom * 1.25); applyZoom(); };
document.getElementById("zoom-out").onclick = () => { state.zoom = Math.max(0.25, state.zoom / 1.25); applyZoom(); };

load();
const events = new EventSource("/events");
events.addEventListener("page", (event) => {
  const message = JSON.parse(event.data);
  heard(message); // makeup.js: another editor's edit
  load(message.id);
});
