// The WebRTC benchmark, mprtc side. Prints "BENCH <json>" for bench/webrtc.
import { measure, config } from './webrtc-core.js';

const result = await measure((phase) => console.error(`bench/webrtc: mprtc ${phase} ...`));
console.log(`mprtc: connect p50 ${result.connectP50ms.toFixed(1)} ms, throughput ${result.throughputMBps.toFixed(1)} MB/s ` +
            `(${config.total >> 20} MiB in ${config.chunk >> 10} KiB messages), ping-pong p50 ${result.rttP50ms.toFixed(3)} ms`);
console.log('BENCH ' + JSON.stringify(result));
