// A static server for www/ with the same strict Content-Security-Policy the
// page declares, so what is tested is what is served. No dependencies.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(fileURLToPath(new URL("../www/", import.meta.url)));
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".csv": "text/csv; charset=utf-8",
  ".svg": "image/svg+xml",
  ".ts": "text/plain; charset=utf-8",
};
export const CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; " +
  "connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

/**
 * Starts the server on `port` (0 = any free port); resolves to the server.
 * `prefix` serves the site from a sub-path (`/portal/pelacak/`), as a
 * portal would, to prove that every URL in the page is relative.
 */
export function serve(port = 8080, host = "127.0.0.1", { prefix = "/" } = {}) {
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url, "http://x");
      if (!url.pathname.startsWith(prefix)) throw new Error("outside the prefix");
      let path = normalize(join(ROOT, decodeURIComponent(url.pathname.slice(prefix.length - 1))));
      if (!path.startsWith(ROOT)) throw new Error("outside root");
      if ((await stat(path)).isDirectory()) path = join(path, "index.html");
      const body = await readFile(path);
      res.writeHead(200, {
        "content-type": TYPES[extname(path)] ?? "application/octet-stream",
        "content-security-policy": CSP,
        "x-content-type-options": "nosniff",
        "referrer-policy": "no-referrer",
        "cache-control": "no-cache",
      });
      res.end(body);
    } catch {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found");
    }
  });
  return new Promise((ok) => server.listen(port, host, () => ok(server)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = Number(process.env.PORT ?? 8080);
  const server = await serve(port);
  console.log(`Pelacak is at http://127.0.0.1:${server.address().port}/ (Ctrl+C to stop)`);
}
