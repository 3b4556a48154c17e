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

// "Convert a mark to a timestamp": a number is a time, a string names the latest such mark.
function markTime(name) {
  if (typeof name === 'number') {
    if (name < 0) throw new TypeError(`Failed to execute 'measure' on 'Performance': '${name}' is a negative time.`);
    return name;
  }
  name = String(name);
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
  mark(name, options = undefined) {
    if (arguments.length === 0) throw new TypeError("Failed to execute 'mark' on 'Performance': 1 argument required, but only 0 present.");
    name = String(name);
    options ??= {}; // an optional dictionary: null is an empty one
    let startTime = native.now();
    if (options.startTime !== undefined) {
      startTime = Number(options.startTime);
      if (!Number.isFinite(startTime)) throw new TypeError("Failed to execute 'mark' on 'Performance': The provided double value is non-finite.");
      if (startTime < 0) throw new TypeError(`Failed to execute 'mark' on 'Performance': '${name}' cannot have a negative start time.`);
    }
    const entry = new PerformanceEntry(entries, name, 'mark', startTime, 0,
      options.detail === undefined ? null : internal.structuredClone(options.detail));
    entries.push(entry);
    return entry;
  }
  // User Timing's measure(): startOrMeasureOptions is a mark name or PerformanceMeasureOptions
  // ({start, end, duration, detail}); endMark a mark name. A mark-name argument is a string even
  // when given a number; only the options' start and end can be times.
  measure(name, startOrOptions = undefined, endMark = undefined) {
    if (arguments.length === 0) throw new TypeError("Failed to execute 'measure' on 'Performance': 1 argument required, but only 0 present.");
    name = String(name);
    const isOptions = startOrOptions === null || internal.isObject(startOrOptions);
    const options = isOptions ? (startOrOptions ?? {}) : {};
    const time = (v) => (typeof v === 'number' ? v : String(v));
    const start = options.start === undefined ? undefined : time(options.start);
    const end = options.end === undefined ? undefined : time(options.end);
    const duration = options.duration === undefined ? undefined : Number(options.duration);
    if (isOptions && (start !== undefined || end !== undefined || duration !== undefined ||
                      options.detail !== undefined)) {
      if (endMark !== undefined) throw new TypeError("Failed to execute 'measure' on 'Performance': If a non-empty PerformanceMeasureOptions object was passed, |end_mark| must not be passed.");
      if (start === undefined && end === undefined) throw new TypeError("Failed to execute 'measure' on 'Performance': If a non-empty PerformanceMeasureOptions object was passed, at least one of its 'start' or 'end' properties must be present.");
      if (start !== undefined && end !== undefined && duration !== undefined) throw new TypeError("Failed to execute 'measure' on 'Performance': If a PerformanceMeasureOptions object was passed, it cannot have all of the 'start', 'duration', and 'end' properties defined");
    }
    let e;
    if (endMark !== undefined) e = markTime(String(endMark));
    else if (end !== undefined) e = markTime(end);
    else if (start !== undefined && duration !== undefined) e = markTime(start) + duration;
    else e = native.now();
    let s;
    if (start !== undefined) s = markTime(start);
    else if (duration !== undefined && end !== undefined) s = e - duration;
    else if (!isOptions && startOrOptions !== undefined) s = markTime(String(startOrOptions));
    else s = 0;
    const detail = options.detail === undefined ? null : internal.structuredClone(options.detail);
    const entry = new PerformanceEntry(entries, name, 'measure', s, e - s, detail);
    entries.push(entry);
    return entry;
  }
  // The Performance Timeline returns entries in chronological order of startTime.
  getEntries() { return sorted(entries); }
  getEntriesByType(type) { return sorted(entries.filter((e) => e.entryType === String(type))); }
  getEntriesByName(name, type = undefined) {
    name = String(name);
    return sorted(entries.filter((e) => e.name === name && (type === undefined || e.entryType === String(type))));
  }
  clearMarks(name = undefined) { remove('mark', name); }
  clearMeasures(name = undefined) { remove('measure', name); }
  static { perfKey = {}; }
}

// A stable sort: entries with the same startTime stay in the order they were added.
function sorted(list) {
  return list.slice().sort((a, b) => a.startTime - b.startTime);
}

function remove(type, name) {
  if (name !== undefined) name = String(name);
  for (let i = entries.length - 1; i >= 0; i--) {
    if (entries[i].entryType === type && (name === undefined || entries[i].name === name)) entries.splice(i, 1);
  }
}

internal.defineGlobal('Performance', Performance);
internal.defineGlobal('PerformanceEntry', PerformanceEntry);
internal.defineGlobal('performance', new Performance(perfKey));
// Neither entries nor the performance object can be structured-cloned.
internal.unserializablePrototypes.push(PerformanceEntry.prototype, Performance.prototype);
