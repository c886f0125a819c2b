// Preloaded into the Prisma CLI by scripts/prisma.mjs. The wasm schema engine of Prisma 6.19 arms
// a 10-second setTimeout that it never clears, so every `migrate deploy` lingered ~10 s after its
// work was done. Long timers are unref'd: they still fire if the CLI is busy, but no longer keep
// a finished CLI alive.
const original = globalThis.setTimeout;
globalThis.setTimeout = function setTimeout(callback, delay, ...args) {
  const timer = original(callback, delay, ...args);
  if (typeof delay === 'number' && delay >= 5000 && typeof timer?.unref === 'function') timer.unref();
  return timer;
};
