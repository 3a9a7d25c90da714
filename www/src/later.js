// Drawing that can wait until the report's first frame is on screen: the
// data tables behind the charts, hidden until their summary is opened (and
// the charts' warm-up, see charts.js, while the page waits for a report). A
// report's panels are built at once (tiles, tables, charts), painted, and
// then these jobs run in the page's idle time, in the order queued, a few
// milliseconds at a time so a click or a key is never kept waiting.
//
// Why: on the sample, building the fifteen tables behind the charts took
// ~40 ms of the ~190 ms between the report's arrival and its first frame
// on a slow machine, for tables no one sees until they open them. (Drawing
// the charts themselves this way put the first frame earlier still, but
// the last chart later: they stay in the first frame.)
// Jobs whose element left the page (a newer report replaced it) are skipped.
// `afterFrame` is for drawing that is due sooner, in the task after the next
// frame: the dashboard's sections not drawn in a report's first frame.

const queue = [];
let pending = false;
// Jobs for right after the next frame (see `afterFrame`).
const soon = [];

/**
 * Runs `job` in a task once the next frame is painted: sooner than
 * `later`, for drawing that is due but need not hold up the frame (the
 * dashboard's sections off screen).
 */
export function afterFrame(job) {
  soon.push(job);
  if (soon.length > 1) return;
  const go = () => {
    while (soon.length) run(soon.shift());
  };
  if (typeof requestAnimationFrame === "function") requestAnimationFrame(() => setTimeout(go, 0));
  else setTimeout(go, 0);
}

/** Runs `job` once the page is idle, after the jobs queued before it. */
export function later(job) {
  queue.push(job);
  schedule();
}

/** Runs every queued job now (before printing, say). */
export function flush() {
  while (soon.length) run(soon.shift());
  while (queue.length) run(queue.shift());
}

function run(job) {
  try {
    job();
  } catch (e) {
    // One chart failing must not stop the others.
    console.error(e);
  }
}

function schedule() {
  if (pending || !queue.length) return;
  pending = true;
  if (typeof requestIdleCallback === "function") requestIdleCallback(tick, { timeout: 300 });
  else setTimeout(tick, 0);
}

function tick(deadline) {
  pending = false;
  // At least one job per call (a deadline that timed out has no time left),
  // then more while the browser says it has time.
  do run(queue.shift());
  while (queue.length && deadline?.timeRemaining && deadline.timeRemaining() > 4);
  schedule();
}

if (typeof addEventListener === "function") addEventListener("beforeprint", flush);
