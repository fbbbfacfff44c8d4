// graphile-worker's side of scripts/bench-anchors.sh: our own harness around graphile-worker's public API.
//
// Usage (GRAPHILE_WORKER_DIR names the folder npm installed graphile-worker into):
//   node graphile-worker.mjs install DB_URL
//       installs graphile-worker's schema and an AFTER INSERT row trigger on table bench (which must exist) that
//       adds one job per row: task 'task', payload {id, captured: the trigger's clock_timestamp() in epoch seconds}
//   node graphile-worker.mjs work DB_URL CONCURRENCY TIMES_FILE [EXPECTED_JOBS]
//       runs a worker pool with a no-op task until SIGTERM, then writes TIMES_FILE (the format bench_stats.py
//       reads). TIMES_FILE.ready appears once the pool listens for new jobs. With EXPECTED_JOBS, once that many
//       tasks started, the queue is polled every 5 ms until no job is left; that moment is the "done" line and
//       TIMES_FILE.done appears.
import { EventEmitter } from "node:events";
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

const installDir = process.env.GRAPHILE_WORKER_DIR;
if (!installDir) {
  console.error("GRAPHILE_WORKER_DIR is not set");
  process.exit(2);
}
const resolveFrom = createRequire(path.join(installDir, "package.json"));
const load = (name) => import(pathToFileURL(resolveFrom.resolve(name)).href);
const worker = await load("graphile-worker");
const pg = (await load("pg")).default;

// Wall-clock time in epoch milliseconds with sub-millisecond resolution: Date.now() rounds down to whole ms, so
// the monotonic performance.now() is anchored to the wall clock at the moment Date.now() ticks over.
const wallAtTick = () => {
  const before = Date.now();
  let wall;
  while ((wall = Date.now()) === before);
  return wall - performance.now();
};
const anchor = wallAtTick();
const nowMs = () => anchor + performance.now();

// Warnings and errors only: a line per completed job would cost the worker more than the no-op task.
const logger = new worker.Logger(() => (level, message) => {
  if (level === "error" || level === "warning") console.error(`[graphile-worker] ${level}: ${message}`);
});

async function withClient(url, fn) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function install(url) {
  await worker.runMigrations({ connectionString: url, logger });
  await withClient(url, (client) =>
    client.query(`
      CREATE FUNCTION bench_add_job() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        PERFORM graphile_worker.add_job('task',
          json_build_object('id', NEW.id, 'captured', extract(epoch FROM clock_timestamp())));
        RETURN NULL;
      END
      $fn$;
      CREATE TRIGGER bench_add_job AFTER INSERT ON bench FOR EACH ROW EXECUTE FUNCTION bench_add_job();`),
  );
}

async function work(url, concurrency, timesFile, expected) {
  const lines = [];
  let started = 0;
  let doneAt = null;
  const events = new EventEmitter();
  events.once("pool:listen:success", () => writeFileSync(`${timesFile}.ready`, ""));
  const runner = await worker.run({
    connectionString: url,
    concurrency,
    noHandleSignals: true,
    logger,
    events,
    taskList: {
      task: async (payload) => {
        lines.push(`start ${payload.captured} ${nowMs() / 1000}`);
        started += 1;
      },
    },
  });

  let watching = null;
  if (expected > 0) {
    watching = withClient(url, async (client) => {
      while (started < expected) await new Promise((r) => setTimeout(r, 5));
      for (;;) {
        const { rows } = await client.query("SELECT count(*)::int AS n FROM graphile_worker.jobs");
        if (rows[0].n === 0) break;
        await new Promise((r) => setTimeout(r, 5));
      }
      doneAt = nowMs();
      writeFileSync(`${timesFile}.done`, "");
    });
  }

  await new Promise((resolve) => process.once("SIGTERM", resolve));
  await runner.stop();
  if (doneAt !== null) lines.push(`done ${doneAt / 1000}`);
  // performance.now() is monotonic; if the wall clock was stepped or slewed meanwhile, this shows by how much.
  lines.push(`clock_drift_ms ${(wallAtTick() - anchor).toFixed(3)}`);
  writeFileSync(timesFile, `${lines.join("\n")}\n`);
  if (watching && doneAt === null) console.error("the queue was never seen empty");
  process.exit(0);
}

const [mode, url, ...rest] = process.argv.slice(2);
if (mode === "install" && url) {
  await install(url);
} else if (mode === "work" && url && rest.length >= 2) {
  await work(url, Number(rest[0]), rest[1], Number(rest[2] ?? 0));
} else {
  console.error("usage: graphile-worker.mjs install DB_URL | work DB_URL CONCURRENCY TIMES_FILE [EXPECTED_JOBS]");
  process.exit(2);
}
