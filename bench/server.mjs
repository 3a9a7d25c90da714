// The benchmark's own static server: the bench page, the engine's built module (www/pkg)
// and the peers' files straight from bench/node_modules. Nothing is fetched from a CDN.
// Every response carries "cache-control: no-store", so each fresh browser context compiles
// the wasm modules cold: start-up is measured as a first visit.
import { createServer } from "node:http";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(fileURLToPath(new URL("..", import.meta.url)));
const MOUNTS = [
  ["/bench/", join(ROOT, "bench/www")],
  ["/pkg/", join(ROOT, "www/pkg")],
  ["/src/", join(ROOT, "www/src")],
  // Only the packages the page needs, never the whole node_modules.
  ["/nm/@duckdb/duckdb-wasm/dist/", join(ROOT, "bench/node_modules/@duckdb/duckdb-wasm/dist")],
  ["/nm/apache-arrow/", join(ROOT, "bench/node_modules/apache-arrow")],
  ["/nm/flatbuffers/", join(ROOT, "bench/node_modules/flatbuffers")],
  ["/nm/tslib/", join(ROOT, "bench/node_modules/tslib")],
  ["/nm/papaparse/", join(ROOT, "bench/node_modules/papaparse")],
];
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".map": "application/json",
};

/** Serves on 127.0.0.1 at a free port; resolves to the http.Server. */
export function serve() {
  const server = createServer(async (req, res) => {
    try {
      const { pathname } = new URL(req.url, "http://x");
      const mount = MOUNTS.find(([prefix]) => pathname.startsWith(prefix));
      if (!mount) throw new Error("not served");
      const [prefix, dir] = mount;
      let path = normalize(join(dir, decodeURIComponent(pathname.slice(prefix.length))));
      if (path !== dir && !path.startsWith(dir + sep)) throw new Error("outside the mount");
      let st = await stat(path);
      if (st.isDirectory()) {
        path = join(path, "index.html");
        st = await stat(path);
      }
      res.writeHead(200, {
        "content-type": TYPES[extname(path)] ?? "application/octet-stream",
        "content-length": st.size,
        "cache-control": "no-store",
      });
      createReadStream(path).pipe(res);
    } catch {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found");
    }
  });
  // Keep-alive sockets would hold close() open; the bench closes them itself.
  return new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => ok(server));
  });
}
