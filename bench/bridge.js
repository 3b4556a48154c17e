// The bridge benchmark, mprtc side: bridge.ping round trips and throughput, and the floors.
// Prints one line "BENCH <json>" for bench/bridge, and a readable summary.
// Run: bench/bridge  (both engines, side by side)  or  build/mprtc exec bench/bridge.js --testing
import { measure, config } from './bridge-core.js';

const noop = mprtc.bridge.nativeNoop;
const result = await measure(() => mprtc.bridge.ping(), {
  noopCallNs: () => noop(),
  performanceNowNs: () => performance.now(),
});
console.log(`mprtc: bridge.ping round trip p50 ${result.roundTripP50us.toFixed(1)} us, p99 ${result.roundTripP99us.toFixed(1)} us; ` +
            `${(result.callsPerSecond / 1000).toFixed(1)} k calls/s with ${config.inFlight} in flight; ` +
            `JS -> C no-op ${result.noopCallNs.toFixed(0)} ns`);
console.log('BENCH ' + JSON.stringify(result));
