// DuckDB-WASM's own eh worker, wrapped only to find its wasm memory: WebAssembly.Memory and
// instantiate are observed (not changed), and the size is answered on a BroadcastChannel so
// DuckDB's own message protocol is left alone.
const memories = new Set();
const NativeMemory = WebAssembly.Memory;
function ObservedMemory(descriptor) {
  const memory = new NativeMemory(descriptor);
  memories.add(memory);
  return memory;
}
ObservedMemory.prototype = NativeMemory.prototype;
WebAssembly.Memory = ObservedMemory;
const keep = (result) => {
  const instance = result instanceof WebAssembly.Instance ? result : result.instance;
  for (const value of Object.values(instance?.exports ?? {})) if (value instanceof NativeMemory) memories.add(value);
  return result;
};
for (const name of ["instantiate", "instantiateStreaming"]) {
  const native = WebAssembly[name];
  if (native) WebAssembly[name] = (...args) => native.apply(WebAssembly, args).then(keep);
}

const channel = new BroadcastChannel("bench-duckdb-memory");
channel.onmessage = () => {
  let wasmBytes = null;
  for (const m of memories) wasmBytes = Math.max(wasmBytes ?? 0, m.buffer.byteLength);
  channel.postMessage({ wasmBytes });
};

importScripts("/nm/@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js");
