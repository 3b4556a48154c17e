// The base library's first file. Every file of src/baselib/ is the body of
// `function (native, internal)`: `native` holds the C functions (src/logic/natives.c) and
// never becomes a global; `internal` is shared by the files for what users must not see.
// `internal.host` holds the functions C calls into: runTimers, deliver, runMain,
// unhandledRejection.

internal.host = Object.create(null);

// Web IDL globals are writable, configurable and not enumerable.
internal.defineGlobal = function defineGlobal(name, value) {
  Object.defineProperty(globalThis, name, {
    value, writable: true, configurable: true, enumerable: false,
  });
};

// Turns JSC's "fn@url:line:col" stack lines into the familiar "    at fn (url:line:col)",
// leaving out the base library's own frames unless nothing else is left.
function formatStack(stack) {
  if (typeof stack !== 'string' || stack === '') return [];
  const lines = stack.split('\n').filter((l) => l !== '');
  const outside = lines.filter((l) => !l.includes('mprtc:baselib/'));
  return (outside.length ? outside : lines).map((line) => {
    const at = line.lastIndexOf('@');
    if (at < 0) return '    at ' + line;
    const fn = line.slice(0, at);
    const where = line.slice(at + 1);
    if (fn === '' || fn === 'global code' || fn === 'module code') return '    at ' + where;
    return `    at ${fn} (${where})`;
  });
}

// "Name: message" and the stack, for reports on stderr.
internal.formatError = function formatError(error) {
  if (error === null || (typeof error !== 'object' && typeof error !== 'function')) {
    return internal.inspect ? internal.inspect(error) : String(error);
  }
  let head;
  try {
    head = String(error);
  } catch {
    head = Object.prototype.toString.call(error);
  }
  if (!('stack' in error) && !(error instanceof Error)) {
    return internal.inspect ? internal.inspect(error) : head;
  }
  const frames = formatStack(error.stack);
  // JSC reports where a SyntaxError of compiled code sits in these properties, not the stack.
  if (typeof error.sourceURL === 'string' && typeof error.line === 'number' &&
      !frames.some((f) => f.includes(error.sourceURL + ':'))) {
    frames.unshift(`    at ${error.sourceURL}:${error.line}` +
                   (typeof error.column === 'number' ? `:${error.column}` : ''));
  }
  let text = [head, ...frames].join('\n');
  if (error.cause !== undefined) {
    text += '\n  [cause]: ' + (error.cause instanceof Error ? formatError(error.cause)
                                                            : internal.inspect(error.cause));
  }
  return text;
};

internal.printError = function printError(prefix, error) {
  native.print(3, prefix + internal.formatError(error)); // ERROR
  // An automation client hears of it (src/baselib/automation.js).
  internal.onUncaught?.(error);
};

// Calls fn, reporting anything it throws instead of letting it escape (a callback's error must
// not stop the runtime).
internal.callReporting = function callReporting(fn, thisArg, ...args) {
  try {
    return fn.apply(thisArg, args);
  } catch (error) {
    internal.reportError(error);
    return undefined;
  }
};

// Until events.js replaces it with the event-dispatching version.
internal.reportError = (error) => internal.printError('Uncaught ', error);

internal.isObject = (v) => v !== null && (typeof v === 'object' || typeof v === 'function');
