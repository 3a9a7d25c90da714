// An idle worker started with the page: its "DedicatedWorker" thread tells the benchmark which
// renderer process is this page's, so the process's peak RSS can be read from /proc.
postMessage({ ready: true });
