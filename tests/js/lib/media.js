// Helpers for the media tests: frame access through mprtc.media.snapshot.

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Polls mprtc.media.snapshot(track) until pred holds (the media runs on its own clocks); the
// last snapshot goes into the error when ms pass first.
export async function snapshotUntil(track, pred, what, ms = 10000) {
  const deadline = performance.now() + ms;
  for (;;) {
    const s = await mprtc.media.snapshot(track);
    if (pred(s)) return s;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(s)}`);
    await sleep(25);
  }
}
