// performance.now() and performance.timeOrigin (High Resolution Time), plus mark/measure.

const entries = [];

class PerformanceEntry {
  #name; #type; #start; #duration; #detail;
  constructor(key, name, type, start, duration, detail) {
    if (key !== entries) throw new TypeError('Illegal constructor');
    this.#name = name; this.#type = type; this.#start = start; this.#duration = duration;
    this.#detail = detail;
  }
  get name() { return this.#name; }
  get entryType() { return this.#type; }
  get startTime() { return this.#start; }
  get duration() { return this.#duration; }
  get detail() { return this.#detail; }
  toJSON() { return { name: this.#name, entryType: this.#type, startTime: this.#start, duration: this.#duration, detail: this.#detail }; }
}

function markTime(name) {
  if (typeof name === 'number') return name;
  for (let i = entries.length - 1; i >= 0; i--) {
    if (entries[i].entryType === 'mark' && entries[i].name === name) return entries[i].startTime;
  }
  throw new DOMException(`Failed to execute 'measure' on 'Performance': The mark '${name}' does not exist.`, 'SyntaxError');
}

let perfKey;
class Performance extends EventTarget {
  constructor(key) { if (key !== perfKey) throw new TypeError('Illegal constructor'); super(); }
  get timeOrigin() { return native.timeOrigin; }
  now() { return native.now(); }
  toJSON() { return { timeOrigin: native.timeOrigin }; }
  mark(name, options = {}) {
    const entry = new PerformanceEntry(entries, String(name), 'mark',
      options.startTime !== undefined ? Number(options.startTime) : native.now(), 0,
      options.detail === undefined ? null : internal.structuredClone(options.detail));
    entries.push(entry);
    return entry;
  }
  measure(name, start = undefined, end = undefined) {
    let detail = null;
    if (internal.isObject(start)) {
      detail = start.detail === undefined ? null : internal.structuredClone(start.detail);
      end = start.end;
      start = start.start;
    }
    const s = start === undefined ? 0 : markTime(start);
    const e = end === undefined ? native.now() : markTime(end);
    const entry = new PerformanceEntry(entries, String(name), 'measure', s, e - s, detail);
    entries.push(entry);
    return entry;
  }
  getEntries() { return entries.slice(); }
  getEntriesByType(type) { return entries.filter((e) => e.entryType === type); }
  getEntriesByName(name, type = undefined) {
    return entries.filter((e) => e.name === name && (type === undefined || e.entryType === type));
  }
  clearMarks(name = undefined) { remove('mark', name); }
  clearMeasures(name = undefined) { remove('measure', name); }
  static { perfKey = {}; }
}

function remove(type, name) {
  for (let i = entries.length - 1; i >= 0; i--) {
    if (entries[i].entryType === type && (name === undefined || entries[i].name === name)) entries.splice(i, 1);
  }
}

internal.defineGlobal('Performance', Performance);
internal.defineGlobal('PerformanceEntry', PerformanceEntry);
internal.defineGlobal('performance', new Performance(perfKey));
