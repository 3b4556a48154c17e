// ES modules for `mprtc exec`. JavaScriptCore's C API has no module loader, so each module's
// text is rewritten into the body of an async function (top-level await works, line numbers
// stay) whose top-level import/export declarations become calls into this loader:
//   import d, { a, b as c } from './x.js'  ->  const {default: d, a, b: c} = await import_('./x.js')
//   import * as ns from './x.js'          ->  const ns = await import_('./x.js')
//   export const/let/var/function/class   ->  the declaration, plus a live getter on the exports
//   export { a, b as c } [from './x.js'] / export * [as ns] from './x.js' / export default expr
//   import('./x.js'), import.meta         ->  the loader's import_ / { url, filename, dirname }
// Imported bindings are snapshots taken when the import runs (not live), which matters only
// for cycles and for exports reassigned later. Specifiers are relative or absolute paths, and
// what they name must be inside the app's package (native.readFile refuses anything else).

function scan(src) {
  const tokens = [];
  const n = src.length;
  let i = 0;
  let depth = 0;
  const braces = []; // '{' or 'tpl' (a template literal's ${ )
  const isIdStart = (c) => /[A-Za-z_$\u0080-\uffff\\]/.test(c);
  const isId = (c) => /[\w$\u0080-\uffff\\]/.test(c);
  const push = (type, value, start) => tokens.push({ type, value, start, end: i, depth });
  const regexAllowed = () => {
    const p = tokens[tokens.length - 1];
    if (!p) return true;
    if (p.type === 'name') return /^(return|typeof|instanceof|in|of|new|delete|void|throw|case|do|else|yield|await)$/.test(p.value);
    if (p.type === 'punct') return !/^[)\]}]$|^\+\+$|^--$/.test(p.value);
    return false;
  };
  const scanTemplate = () => { // i is just past ` or the } closing a ${
    while (i < n) {
      const c = src[i];
      if (c === '\\') { i += 2; continue; }
      if (c === '`') { i++; return; }
      if (c === '$' && src[i + 1] === '{') { i += 2; braces.push('tpl'); depth++; return; }
      i++;
    }
  };
  while (i < n) {
    const c = src[i];
    const start = i;
    if (/\s/.test(c)) { i++; continue; }
    if (c === '/' && src[i + 1] === '/') { while (i < n && src[i] !== '\n') i++; continue; }
    if (c === '/' && src[i + 1] === '*') { const e = src.indexOf('*/', i + 2); i = e < 0 ? n : e + 2; continue; }
    if (c === '"' || c === "'") {
      i++;
      while (i < n && src[i] !== c) i += src[i] === '\\' ? 2 : 1;
      i++;
      push('string', src.slice(start, i), start);
      continue;
    }
    if (c === '`') { i++; scanTemplate(); push('template', '', start); continue; }
    if (c === '}' && braces[braces.length - 1] === 'tpl') { braces.pop(); depth--; i++; scanTemplate(); push('template', '', start); continue; }
    if (isIdStart(c)) {
      while (i < n && isId(src[i])) i++;
      push('name', src.slice(start, i), start);
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1]))) {
      while (i < n && /[\w.]/.test(src[i])) i++;
      push('number', src.slice(start, i), start);
      continue;
    }
    if (c === '/' && regexAllowed()) {
      i++;
      let inClass = false;
      while (i < n && src[i] !== '\n') {
        if (src[i] === '\\') { i += 2; continue; }
        if (src[i] === '[') inClass = true;
        else if (src[i] === ']') inClass = false;
        else if (src[i] === '/' && !inClass) break;
        i++;
      }
      i++;
      while (i < n && isId(src[i])) i++;
      push('regex', src.slice(start, i), start);
      continue;
    }
    if ((c === '+' || c === '-') && src[i + 1] === c) { i += 2; push('punct', c + c, start); continue; }
    if (c === '.' && src[i + 1] === '.' && src[i + 2] === '.') { i += 3; push('punct', '...', start); continue; }
    i++;
    if (c === '{' || c === '(' || c === '[') {
      push('punct', c, start);
      depth++;
      if (c === '{') braces.push('{');
    } else if (c === '}' || c === ')' || c === ']') {
      depth--;
      if (c === '}') braces.pop();
      push('punct', c, start);
      tokens[tokens.length - 1].depth = depth;
    } else {
      push('punct', c, start);
    }
  }
  return tokens;
}

function moduleSyntaxError(url, src, pos, message) {
  const line = src.slice(0, pos).split('\n').length;
  const error = new SyntaxError(`${message} (${url}:${line})`);
  error.sourceURL = url;
  error.line = line;
  return error;
}

function transform(src, url) {
  const tokens = scan(src);
  const edits = [];    // { start, end, text }
  const exported = []; // [exportName, localExpression]
  const reexports = [];
  let tmp = 0;
  const specOf = (tok) => {
    if (!tok || tok.type !== 'string') return null;
    return JSON.stringify((0, eval)(tok.value));
  };
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k];
    if (t.type !== 'name') continue;
    const next = tokens[k + 1];
    if (t.value === 'import' && next && next.value === '(') {
      edits.push({ start: t.start, end: t.end, text: '__mprtc_import' });
      continue;
    }
    if (t.value === 'import' && next && next.value === '.' && tokens[k + 2]?.value === 'meta') {
      edits.push({ start: t.start, end: tokens[k + 2].end, text: '__mprtc_import_meta' });
      continue;
    }
    const prev = tokens[k - 1];
    if (t.depth !== 0 || (prev && prev.value === '.')) continue;
    if (t.value === 'import') {
      // import 'x' | import <clause> from 'x'
      let j = k + 1;
      const bindings = [];
      let namespace = null;
      if (tokens[j]?.type !== 'string') {
        while (j < tokens.length && !(tokens[j].type === 'name' && tokens[j].value === 'from' && tokens[j + 1]?.type === 'string')) {
          const u = tokens[j];
          if (u.value === '*') { namespace = tokens[j + 2]?.value; j += 3; continue; }
          if (u.value === '{') {
            j++;
            while (j < tokens.length && tokens[j].value !== '}') {
              if (tokens[j].value === ',') { j++; continue; }
              const imported = tokens[j].type === 'string' ? (0, eval)(tokens[j].value) : tokens[j].value;
              let local = imported;
              if (tokens[j + 1]?.value === 'as') { local = tokens[j + 2].value; j += 2; }
              bindings.push([imported, local]);
              j++;
            }
            j++;
            continue;
          }
          if (u.value === ',') { j++; continue; }
          if (u.type === 'name') { bindings.push(['default', u.value]); j++; continue; }
          throw moduleSyntaxError(url, src, u.start, `unsupported import syntax near '${u.value}'`);
        }
        j++; // 'from'
      }
      const specTok = tokens[j];
      const spec = specOf(specTok);
      if (!spec) throw moduleSyntaxError(url, src, t.start, 'import declaration without a module specifier');
      let end = specTok.end;
      if (tokens[j + 1]?.value === ';') end = tokens[j + 1].end;
      const name = `__mprtc_m${tmp++}`;
      let text = `const ${name} = await __mprtc_import(${spec});`;
      if (namespace) text += ` const ${namespace} = ${name};`;
      if (bindings.length) {
        text += ` const {${bindings.map(([imp, loc]) => `${JSON.stringify(imp)}: ${loc}`).join(', ')}} = ${name};`;
      }
      edits.push({ start: t.start, end, text });
      k = j;
      continue;
    }
    if (t.value !== 'export') continue;
    const a = tokens[k + 1];
    if (!a) break;
    if (a.value === 'default') {
      const b = tokens[k + 2];
      const isAsyncFn = b?.value === 'async' && tokens[k + 3]?.value === 'function';
      const fnTok = isAsyncFn ? tokens[k + 3] : b;
      if (fnTok && (fnTok.value === 'function' || fnTok.value === 'class')) {
        let nameTok = tokens[tokens.indexOf(fnTok) + 1];
        if (nameTok?.value === '*') nameTok = tokens[tokens.indexOf(fnTok) + 2];
        if (nameTok?.type === 'name' && nameTok.value !== 'extends') {
          edits.push({ start: t.start, end: a.end, text: '' });
          exported.push(['default', nameTok.value]);
          continue;
        }
      }
      edits.push({ start: t.start, end: a.end, text: '__mprtc_exports.default =' });
      continue;
    }
    if (a.value === 'function' || a.value === 'class' || a.value === 'async') {
      let j = k + 1;
      while (tokens[j] && tokens[j].type !== 'name' || ['function', 'class', 'async'].includes(tokens[j]?.value)) j++;
      edits.push({ start: t.start, end: a.start, text: '' });
      exported.push([tokens[j].value, tokens[j].value]);
      continue;
    }
    if (a.value === 'const' || a.value === 'let' || a.value === 'var') {
      const b = tokens[k + 2];
      if (b?.type !== 'name') throw moduleSyntaxError(url, src, t.start, 'export of a destructuring declaration is not supported');
      edits.push({ start: t.start, end: a.start, text: '' });
      exported.push([b.value, b.value]);
      // Further declarators: ", name =" at the top level before the statement's end.
      for (let j = k + 3; j < tokens.length && tokens[j].value !== ';'; j++) {
        if (tokens[j].depth === 0 && tokens[j].value === ',' && tokens[j + 1]?.type === 'name' &&
            tokens[j + 2]?.value === '=') {
          exported.push([tokens[j + 1].value, tokens[j + 1].value]);
        }
        if (tokens[j].depth === 0 && ['export', 'import', 'function', 'class', 'const', 'let', 'var'].includes(tokens[j].value)) break;
      }
      continue;
    }
    if (a.value === '{' || a.value === '*') {
      let j = k + 2;
      const names = [];
      let star = a.value === '*';
      let starAs = null;
      if (star) {
        if (tokens[j]?.value === 'as') { starAs = tokens[j + 1].value; j += 2; }
      } else {
        while (j < tokens.length && tokens[j].value !== '}') {
          if (tokens[j].value === ',') { j++; continue; }
          const local = tokens[j].type === 'string' ? (0, eval)(tokens[j].value) : tokens[j].value;
          let as = local;
          if (tokens[j + 1]?.value === 'as') {
            as = tokens[j + 2].type === 'string' ? (0, eval)(tokens[j + 2].value) : tokens[j + 2].value;
            j += 2;
          }
          names.push([as, local]);
          j++;
        }
        j++;
      }
      let end = tokens[j - 1].end;
      let from = null;
      if (tokens[j]?.value === 'from') {
        from = specOf(tokens[j + 1]);
        end = tokens[j + 1].end;
        j += 2;
      }
      if (tokens[j]?.value === ';') end = tokens[j].end;
      if (star && !from) throw moduleSyntaxError(url, src, t.start, "'export *' needs a 'from' clause");
      let text = '';
      if (from) {
        const m = `__mprtc_m${tmp++}`;
        text = `const ${m} = await __mprtc_import(${from});`;
        if (star && starAs) exported.push([starAs, m]);
        else if (star) reexports.push(m);
        else for (const [as, local] of names) exported.push([as, `${m}[${JSON.stringify(local)}]`]);
      } else {
        for (const [as, local] of names) exported.push([as, local]);
      }
      edits.push({ start: t.start, end, text });
      continue;
    }
    throw moduleSyntaxError(url, src, t.start, `unsupported export syntax near '${a.value}'`);
  }

  let out = '';
  let last = 0;
  edits.sort((x, y) => x.start - y.start);
  for (const e of edits) {
    const replaced = src.slice(e.start, e.end);
    out += src.slice(last, e.start) + e.text + '\n'.repeat((replaced.match(/\n/g) || []).length);
    last = e.end;
  }
  out += src.slice(last);
  // Getters defined before the body runs: exports are live, like ES module bindings.
  const prologue = exported.map(([as, expr]) =>
    `Object.defineProperty(__mprtc_exports, ${JSON.stringify(as)}, { get: () => ${expr}, enumerable: true });`).join(' ');
  const epilogue = reexports.map((m) =>
    `for (const k of Object.keys(${m})) if (k !== 'default' && !(k in __mprtc_exports)) Object.defineProperty(__mprtc_exports, k, { get: () => ${m}[k], enumerable: true });`).join(' ');
  return `(async function (__mprtc_import, __mprtc_exports, __mprtc_import_meta) { 'use strict'; ${prologue} ${out}\n;${epilogue}\n})`;
}
internal.transformModule = transform;

// Paths.
function normalize(path) {
  const out = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return '/' + out.join('/');
}
const dirname = (p) => p.slice(0, p.lastIndexOf('/')) || '/';

function resolve(specifier, base) {
  let s = String(specifier);
  if (s.startsWith('file://')) s = decodeURIComponent(s.slice(7));
  if (s.startsWith('/')) return normalize(s);
  if (s.startsWith('./') || s.startsWith('../')) return normalize(dirname(base) + '/' + s);
  throw new TypeError(`Failed to resolve module specifier '${s}': only relative ('./', '../') and absolute paths are supported`);
}

const modules = new Map(); // path -> { exports, promise, state }

function load(path) {
  const existing = modules.get(path);
  // A module still evaluating (an import cycle) gives its exports as they are now.
  if (existing) return existing.state === 'evaluating' ? Promise.resolve(existing.exports) : existing.promise;
  const record = { exports: Object.create(null), promise: null, state: 'evaluating' };
  Object.defineProperty(record.exports, Symbol.toStringTag, { value: 'Module' });
  modules.set(path, record);
  record.promise = (async () => {
    const source = native.readFile(path);
    const fn = native.compile(transform(source, path), path);
    const meta = { url: 'file://' + path, filename: path, dirname: dirname(path) };
    const importFrom = (specifier) => {
      try {
        return load(resolve(specifier, path));
      } catch (error) {
        return Promise.reject(error);
      }
    };
    await fn.call(undefined, importFrom, record.exports, meta);
    record.state = 'done';
    return record.exports;
  })();
  record.promise.catch(() => { record.state = 'failed'; });
  return record.promise;
}

// path: the script's absolute path inside the package (the host resolved it); run: the number
// of the run, which the settling reports.
internal.host.runMain = function runMain(path, args, run) {
  internal.args = Object.freeze(args.slice());
  let main;
  try {
    main = load(resolve(path, native.root + '/'));
  } catch (error) {
    main = Promise.reject(error);
  }
  main.then(() => native.mainSettled(false, run), (error) => {
    internal.printError('Uncaught ', error);
    native.mainSettled(true, run);
  });
};
