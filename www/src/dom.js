// DOM helpers. Every string from a file reaches the page through
// textContent or an attribute, never through HTML parsing.

/**
 * Creates an element: `h("td", { class: "num", title: x }, "text", child)`.
 * Attributes starting with `on` are listeners; `hidden`, `disabled`,
 * `selected` and `checked` are booleans; children may be strings, nodes,
 * arrays, or null/undefined/false (skipped).
 */
export function h(tag, attrs, ...children) {
  const e = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k.startsWith("on") && typeof v === "function") e.addEventListener(k.slice(2), v);
      else if (k === "class") e.className = v;
      else if (k === "text") e.textContent = v;
      else if (k === "dataset") {
        for (const [dk, dv] of Object.entries(v)) if (dv !== undefined && dv !== null) e.dataset[dk] = String(dv);
      } else if (k === "value") e.value = v;
      else if (["hidden", "disabled", "selected", "checked", "open", "multiple"].includes(k)) e[k] = Boolean(v);
      else e.setAttribute(k, v === true ? "" : String(v));
    }
  }
  append(e, children);
  return e;
}

function append(e, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(e, c);
    else e.append(c instanceof Node ? c : String(c));
  }
}

let uid = 0;
/** A document-unique id with a readable prefix. */
export function uniqueId(prefix) {
  return `${prefix}-${++uid}`;
}

/** Saves a Blob under `name` through a temporary link. */
export function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = h("a", { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
