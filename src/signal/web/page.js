// A mini-program page in a browser, for the signaling server's web page (index.html): the
// platform's App, getApp and Page, with setData drawing the page's data into the markup through
// these attributes (each holds an expression over the data's top-level names):
//   data-text      the element's text          data-if        shown when true
//   data-value     an input's value            data-disabled  a button's disabled
//   data-id        the element's id            data-stream    a <video>'s stream: a MediaStream ID
//   data-tap, data-input, data-confirm, data-play: the page method that handles click, input,
//                  Enter and the video's playing, called with a mini-program event ({detail}).
// Only what examples/video-call uses; the page code itself is the example's, unchanged.
'use strict';

// A MediaStream ID is what a mini-program binds to webrtc-video; here the ID finds its stream.
// Every stream the page can name comes from getUserMedia or a connection's track event.
const streamsById = new Map();
const keepStream = (stream) => streamsById.set(stream.id, stream);
{
  const getUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = async (constraints) => {
    const stream = await getUserMedia(constraints);
    keepStream(stream);
    return stream;
  };
  const BrowserPeerConnection = window.RTCPeerConnection;
  window.RTCPeerConnection = class RTCPeerConnection extends BrowserPeerConnection {
    constructor(...args) {
      super(...args);
      // Added before the page's ontrack: the stream is known when the page names it.
      this.addEventListener('track', (e) => e.streams.forEach(keepStream));
    }
  };
}

// App({globalData}) in app.js; here the signaling server is the one that served this page.
const app = { globalData: { server: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/signal` } };
window.App = (definition) => Object.assign(app, definition);
window.getApp = () => app;

const compiled = new Map();
function evaluate(expression, data) {
  const names = Object.keys(data);
  const key = names.join(',') + '\n' + expression;
  if (!compiled.has(key)) compiled.set(key, new Function(`{${names.join(',')}}`, `return (${expression});`));
  try {
    return compiled.get(key)(data);
  } catch (e) {
    console.error(`data binding "${expression}": ${e.message}`);
    return undefined;
  }
}

// The query as the platform hands it to onLoad: values as written in the URL, still encoded.
function queryOf(search) {
  const query = {};
  for (const part of search.replace(/^\?/, '').split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    query[eq < 0 ? part : part.slice(0, eq)] = eq < 0 ? '' : part.slice(eq + 1);
  }
  return query;
}

function eventOf(element, detail) {
  return { type: 'custom', detail, target: { id: element.id, dataset: {} }, currentTarget: { id: element.id, dataset: {} } };
}

window.Page = (definition) => {
  const page = Object.assign({}, definition, { route: 'pages/index/index', data: structuredClone(definition.data || {}) });
  let pending = null;
  page.setData = (patch, callback) => {
    for (const [path, value] of Object.entries(patch)) {
      // 'a.b' paths as the platform takes them; the example only sets top-level keys.
      const keys = path.split('.');
      let target = page.data;
      for (const k of keys.slice(0, -1)) target = target[k] = target[k] && typeof target[k] === 'object' ? target[k] : {};
      target[keys[keys.length - 1]] = value;
    }
    if (!pending) {
      pending = [];
      queueMicrotask(() => {
        const callbacks = pending;
        pending = null;
        render(page);
        callbacks.forEach((f) => f());
      });
    }
    if (callback) pending.push(callback);
  };
  const call = (method, element, detail) => {
    if (typeof page[method] !== 'function') return console.error(`the page has no method ${method}`);
    page[method](eventOf(element, detail));
  };
  for (const el of document.querySelectorAll('[data-tap]')) el.addEventListener('click', () => call(el.dataset.tap, el, {}));
  for (const el of document.querySelectorAll('[data-input]'))
    el.addEventListener('input', () => call(el.dataset.input, el, { value: el.value }));
  for (const el of document.querySelectorAll('[data-confirm]'))
    el.addEventListener('keydown', (e) => { if (e.key === 'Enter') call(el.dataset.confirm, el, { value: el.value }); });
  for (const el of document.querySelectorAll('[data-play]')) el.addEventListener('playing', () => call(el.dataset.play, el, {}));
  window.page = page;  // for whoever drives the page (tests, `mprtc demo --browser`)
  render(page);
  page.onLoad?.(queryOf(location.search));
  page.onShow?.();
  page.onReady?.();
  window.addEventListener('pagehide', () => page.onUnload?.());
};

function render(page) {
  const data = page.data;
  for (const el of document.querySelectorAll('[data-if]')) el.hidden = !evaluate(el.dataset.if, data);
  for (const el of document.querySelectorAll('[data-text]')) {
    const text = String(evaluate(el.dataset.text, data) ?? '');
    if (el.textContent !== text) el.textContent = text;
  }
  for (const el of document.querySelectorAll('[data-id]')) el.id = String(evaluate(el.dataset.id, data) ?? '');
  for (const el of document.querySelectorAll('[data-disabled]')) el.disabled = Boolean(evaluate(el.dataset.disabled, data));
  for (const el of document.querySelectorAll('[data-value]')) {
    const value = String(evaluate(el.dataset.value, data) ?? '');
    if (el.value !== value && document.activeElement !== el) el.value = value;
  }
  for (const el of document.querySelectorAll('[data-stream]')) {
    const stream = streamsById.get(evaluate(el.dataset.stream, data)) || null;
    if (el.srcObject === stream) continue;
    el.srcObject = stream;
    // Sound needs a user's gesture in most browsers: without one, the picture plays muted.
    if (stream) el.play().catch(() => { el.muted = true; el.play().catch(() => {}); });
  }
}
