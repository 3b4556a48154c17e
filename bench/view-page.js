// The view benchmark, Chromium side: the platforms' shape in a browser. The measurement
// (bench/view-app/view-core.js, the same file the mini-program runs) runs in a Worker, as a
// mini-program's logic layer runs apart from its view; each change is posted to the page, which
// updates the DOM, forces the layout and answers. The camera stream stays in the page (a Worker
// has no getUserMedia): the Worker asks the page to capture and to show it in a <video>. CPU is
// every Chromium process's (window.benchProcess, bench/chromium.mjs).
const core = await (await fetch('/bench/view-app/view-core.js')).text();

const workerSource = `
const module = { exports: {} };
${core}
let seq = 0;
const pending = new Map();
const ask = (what) => new Promise((resolve) => { const id = ++seq; pending.set(id, resolve); postMessage({ id, ...what }); });
onmessage = (e) => { const r = pending.get(e.data.id); pending.delete(e.data.id); r(e.data.value); };
const engine = {
  apply: (change) => ask({ op: 'apply', change }),
  camera: () => ask({ op: 'camera' }),
  show: (handle) => ask({ op: 'show', on: !!handle }),
  release: () => ask({ op: 'release' }),
  process: () => ask({ op: 'process' }),
};
module.exports.measure(engine, () => {}).then((r) => postMessage({ done: r }), (e) => postMessage({ failed: String(e) }));
`;

document.body.innerHTML = '<div id="tick"></div><div id="list"></div>';
const style = document.createElement('style');
style.textContent = '.row { display: flex; justify-content: space-between; padding: 4px 8px; } .value { color: #555; } video { width: 300px; height: 225px; }';
document.head.append(style);
const tick = document.getElementById('tick'), list = document.getElementById('list');
let stream = null, video = null;

function apply(change) {
  if ('tick' in change) {
    tick.textContent = String(change.tick);
  } else if ('rows' in change) {
    const fragment = document.createDocumentFragment();
    for (const row of change.rows) {
      const div = document.createElement('div');
      div.className = 'row';
      const name = document.createElement('span'), value = document.createElement('span');
      name.textContent = row.name;
      value.className = 'value';
      value.textContent = String(row.value);
      div.append(name, value);
      fragment.append(div);
    }
    list.replaceChildren(fragment);
  } else {
    list.children[change.row].firstChild.textContent = change.name;
  }
  void document.body.offsetHeight; // laid out, as the mini-program's view lays out before it answers
}

window.benchResult = new Promise((resolve, reject) => {
  const worker = new Worker(URL.createObjectURL(new Blob([workerSource], { type: 'text/javascript' })));
  worker.onerror = (e) => reject(new Error('bench/view: the worker failed: ' + e.message));
  worker.onmessage = async (e) => {
    const m = e.data;
    if (m.done) return resolve(m.done);
    if (m.failed) return reject(new Error('bench/view: ' + m.failed));
    let value = null;
    if (m.op === 'apply') apply(m.change);
    if (m.op === 'camera') {
      stream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480, frameRate: 30 } });
      value = 'camera';
    }
    if (m.op === 'show' && m.on) {
      video = document.createElement('video');
      video.muted = true;
      video.srcObject = stream;
      document.body.prepend(video);
      await video.play();
    }
    if (m.op === 'show' && !m.on && video) {
      video.remove();
      video = null;
    }
    if (m.op === 'release') for (const t of stream.getTracks()) t.stop();
    if (m.op === 'process') value = await window.benchProcess();
    worker.postMessage({ id: m.id, value });
  };
});
