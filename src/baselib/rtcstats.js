// RTCStatsReport (W3C webrtc-pc §8.3) and what getStats() does with the SDK's report
// (src/sdk/rtc/stats.c): timestamps moved to the performance time base, track and mid filled in from
// the transceivers, data-channel stats from the channels, and the stats selection algorithm
// (§8.5) for senders, receivers and tracks.

let reportKey;

// A read-only maplike of stats object IDs to RTCStats dictionaries.
class RTCStatsReport {
  #map;
  constructor(key, map) {
    if (key !== reportKey) throw new TypeError('Illegal constructor');
    this.#map = map;
  }
  get size() { return this.#map.size; }
  get(id) { return this.#map.get(String(id)); }
  has(id) { return this.#map.has(String(id)); }
  keys() { return this.#map.keys(); }
  values() { return this.#map.values(); }
  entries() { return this.#map.entries(); }
  forEach(callback, thisArg = undefined) {
    if (typeof callback !== 'function') throw new TypeError("Failed to execute 'forEach' on 'RTCStatsReport': The callback provided as parameter 1 is not a function.");
    for (const [id, stats] of this.#map) callback.call(thisArg, stats, id, this);
  }
  [Symbol.iterator]() { return this.#map.entries(); }

  static {
    reportKey = {};
    // sdk: the SDK's {id: stats}; transceivers: the connection's; channels: its data channels.
    // select: null for everything, or {transceiver, side: 'sender' | 'receiver'}.
    internal.statsReport = (sdk, transceivers, channels, select) => {
      const byIndex = new Map(transceivers.map((t) => [internal.rtp.index(t), t]));
      const all = new Map();
      for (const [id, s] of Object.entries(sdk)) {
        const stats = { ...s, timestamp: s.timestamp - native.monotonicOrigin };
        const t = byIndex.get(s._transceiver);
        delete stats._transceiver;
        if (t) {
          const track = s.type === 'inbound-rtp' ? t.receiver.track : s.type === 'media-source' ? t.sender.track : null;
          if (track) stats.trackIdentifier = track.id;
          if ((s.type === 'inbound-rtp' || s.type === 'outbound-rtp') && t.mid !== null) stats.mid = t.mid;
        }
        all.set(id, Object.freeze(stats));
      }
      const now = performance.now();
      let n = 0;
      for (const channel of channels) {
        const id = `data-channel_${n++}`;
        all.set(id, Object.freeze({ type: 'data-channel', id, timestamp: now, ...internal.dataChannelStats(channel) }));
      }
      if (!select) return new RTCStatsReport(reportKey, all);
      // The selected RTP streams and every stats object they reference, directly or not.
      const rootType = select.side === 'sender' ? 'outbound-rtp' : 'inbound-rtp';
      const index = internal.rtp.index(select.transceiver);
      const picked = new Map();
      const visit = (id) => {
        const stats = all.get(id);
        if (!stats || picked.has(id)) return;
        picked.set(id, stats);
        for (const [key, value] of Object.entries(stats)) {
          if (key.endsWith('Id') && key !== 'trackIdentifier' && typeof value === 'string') visit(value);
        }
      };
      for (const [id, s] of Object.entries(sdk)) {
        if (s.type === rootType && s._transceiver === index) visit(id);
      }
      return new RTCStatsReport(reportKey, picked);
    };
  }
}
Object.defineProperty(RTCStatsReport.prototype, Symbol.toStringTag, { value: 'RTCStatsReport', configurable: true });
internal.defineGlobal('RTCStatsReport', RTCStatsReport);
