// A chat between two mini-programs, with files, over RTCDataChannels; they meet through a
// signaling server (`mprtc signal`, docs/signaling.md). Standard WebRTC, the standard WebSocket and
// documented wx calls only. Whoever joins a room where someone waits calls them; when the other
// side leaves, the page waits for the next one, who calls again.
// Query: ?room=NAME&server=ws://HOST:PORT/signal&autojoin=1 (all optional).
//
// Two channels: "chat" carries text messages ({"type": "text", "text"}), "files" the files. A file
// goes as a header ({"type": "file", "id", "name", "size", "sha256"}, a string), then its bytes in
// binary messages of CHUNK_BYTES, then nothing: the receiver knows the size. Once it has written
// the file and checked its SHA-256 it answers {"type": "file-done", "id", "ok"}.

const CHUNK_BYTES = 16 * 1024;   // one binary message: what every browser takes
const READ_BYTES = 1024 * 1024;  // read from the file at a time
const HIGH_WATER = 1024 * 1024;  // sending pauses while this much waits in the channel...
const LOW_WATER = 256 * 1024;    // ...and goes on once it has drained to this
const WRITE_BYTES = 1024 * 1024; // received bytes gathered before each write
const RECEIVED_DIR = `${wx.env.USER_DATA_PATH}/received`;

const fs = wx.getFileSystemManager();
// A FileSystemManager call as a promise (they take callbacks only).
const fsCall = (method, options) => new Promise((resolve, reject) => fs[method]({ ...options, success: resolve, fail: reject }));

// A file name of the sender's, made safe to write: no folders, nothing hidden.
function safeName(name) {
  const base = String(name).split(/[\\/]/).pop().replace(/[\u0000-\u001f]/g, '').slice(0, 100);
  return base === '' || base === '.' || base === '..' ? 'file' : base;
}

// A name in RECEIVED_DIR that no file has yet: "a.txt", "a (1).txt", ...
function freePath(name) {
  const dot = name.lastIndexOf('.') > 0 ? name.lastIndexOf('.') : name.length;
  for (let n = 0; ; n++) {
    const candidate = n === 0 ? name : `${name.slice(0, dot)} (${n})${name.slice(dot)}`;
    try {
      fs.accessSync(`${RECEIVED_DIR}/${candidate}`);
    } catch {
      return `${RECEIVED_DIR}/${candidate}`;
    }
  }
}

function concat(chunks, total) {
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(new Uint8Array(c), at);
    at += c.byteLength;
  }
  return out.buffer;
}

const percentOf = (done, size) => (size === 0 ? 100 : Math.max(0, Math.floor((done * 100) / size)));

Page({
  data: {
    room: '', status: 'not joined', joined: false, connected: false, error: '',
    draft: '', messages: [], scrollTop: 0, transfers: [], sending: false, received: null, delivered: 0, left: 0,
  },

  // The platform hands query values over as they were written: encoded ones are decoded here.
  onLoad(query) {
    this.server = query.server ? decodeURIComponent(query.server) : getApp().globalData.server;
    this.nextMessage = 1;
    this.nextFile = 1;
    this.setData({ room: query.room ? decodeURIComponent(query.room) : '' });
    if (query.autojoin && query.room) this.join();
  },

  onUnload() {
    this.leave();
  },

  onRoom(e) {
    this.setData({ room: e.detail.value });
  },

  onDraft(e) {
    this.setData({ draft: e.detail.value });
  },

  join() {
    if (this.data.joined || !this.data.room) return;
    this.setData({ joined: true, status: 'joining', error: '' });
    try {
      this.socket = new WebSocket(this.server);
    } catch (e) {
      // A server address that is not a WebSocket URL: said, and nothing left running.
      this.setData({ joined: false, status: 'not joined', error: `the signaling server '${this.server}': ${e.message}` });
      return;
    }
    this.socket.onopen = () => this.signal({ type: 'join', room: this.data.room });
    // One message at a time: a candidate must wait for the offer before it to be applied.
    this.signals = Promise.resolve();
    this.socket.onmessage = (e) => {
      const m = JSON.parse(e.data);
      this.signals = this.signals.then(() => this.onSignal(m));
    };
    this.socket.onclose = () => { if (this.data.joined) this.setData({ status: 'the signaling server went away' }); };
    this.socket.onerror = () => this.setData({ error: `cannot reach ${this.server}` });
  },

  signal(message) {
    if (this.socket && this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  },

  async onSignal(m) {
    try {
      if (m.type === 'joined') {
        if (m.peers.length) await this.call(m.peers[0]);
        else this.setData({ status: `in room ${m.room}, waiting for someone to join` });
      } else if (m.type === 'peer-joined') {
        this.setData({ status: 'someone joined: they are calling' });
      } else if (m.type === 'offer') {
        await this.answer(m.from, m.sdp);
      } else if (m.type === 'answer' && m.from === this.other) {
        await this.pc.setRemoteDescription({ type: 'answer', sdp: m.sdp });
      } else if (m.type === 'candidate' && m.from === this.other && this.pc) {
        await this.pc.addIceCandidate(m.candidate || undefined);
      } else if (m.type === 'peer-left' && m.peer === this.other) {
        this.endCall();
        this.note('they left');
        this.setData({ status: 'they left: waiting for someone to join', left: this.data.left + 1 });
      } else if (m.type === 'error') {
        this.setData({ error: `signaling: ${m.code}: ${m.message}` });
      }
    } catch (e) {
      this.setData({ error: `${e.name}: ${e.message}` });
    }
  },

  // A connection to peer; the caller makes the channels, the one called gets them.
  connect(peer) {
    this.endCall();
    this.other = peer;
    const pc = (this.pc = new RTCPeerConnection());
    pc.onicecandidate = (e) => this.signal({ type: 'candidate', to: peer, candidate: e.candidate });
    pc.ondatachannel = (e) => this.useChannel(e.channel);
    pc.onconnectionstatechange = () => {
      if (pc === this.pc && pc.connectionState !== 'connected') this.setData({ status: pc.connectionState });
    };
    this.setData({ status: 'connecting' });
    return pc;
  },

  async call(peer) {
    const pc = this.connect(peer);
    this.useChannel(pc.createDataChannel('chat'));
    this.useChannel(pc.createDataChannel('files'));
    await pc.setLocalDescription();
    this.signal({ type: 'offer', to: peer, sdp: pc.localDescription.sdp });
  },

  async answer(peer, sdp) {
    const pc = this.connect(peer);
    await pc.setRemoteDescription({ type: 'offer', sdp });
    await pc.setLocalDescription();
    this.signal({ type: 'answer', to: peer, sdp: pc.localDescription.sdp });
  },

  useChannel(channel) {
    const pc = this.pc;
    channel.binaryType = 'arraybuffer';
    if (channel.label === 'chat') this.chat = channel;
    else if (channel.label === 'files') this.files = channel;
    else return;
    channel.onopen = () => {
      if (pc !== this.pc) return;
      if (this.chat?.readyState === 'open' && this.files?.readyState === 'open') this.setData({ connected: true, status: 'connected' });
    };
    channel.onclose = () => { if (pc === this.pc) this.setData({ connected: false }); };
    channel.onmessage = (e) => {
      if (pc !== this.pc) return;
      if (channel.label === 'chat') this.onChat(e.data);
      else this.onFileMessage(e.data);
    };
  },

  // ---- text ----

  addMessage(who, text) {
    const messages = this.data.messages.concat({ id: this.nextMessage++, who, text });
    // The view keeps the list scrolled to its end (it clamps the offset to the content).
    this.setData({ messages, scrollTop: messages.length * 1000 });
  },

  note(text) {
    this.addMessage('note', text);
  },

  sendText() {
    const text = this.data.draft.trim();
    if (!text || !this.data.connected) return;
    this.chat.send(JSON.stringify({ type: 'text', text }));
    this.addMessage('me', text);
    this.setData({ draft: '' });
  },

  onChat(data) {
    let m;
    try {
      m = JSON.parse(data);
    } catch {
      return;
    }
    if (m.type === 'text' && typeof m.text === 'string') this.addMessage('them', m.text);
  },

  // ---- files ----

  // One transfer's line in the list: changes merged into it.
  updateTransfer(id, changes) {
    const i = this.data.transfers.findIndex((t) => t.id === id);
    if (i < 0) return;
    const now = this.data.transfers[i];
    if (Object.keys(changes).every((k) => now[k] === changes[k])) return; // nothing to redraw
    const set = {};
    for (const [k, v] of Object.entries(changes)) set[`transfers[${i}].${k}`] = v;
    this.setData(set);
  },

  async sendFile() {
    if (!this.data.connected || this.data.sending) return;
    let file;
    try {
      ({ tempFiles: [file] } = await wx.chooseMessageFile({ count: 1, type: 'file' }));
    } catch (e) {
      if (!/cancel/.test(e.errMsg)) this.setData({ error: e.errMsg });
      return;
    }
    const channel = this.files;
    const id = `out-${this.nextFile++}`;
    this.setData({ sending: true, transfers: this.data.transfers.concat({ id, name: file.name, size: file.size, direction: 'out', percent: 0, state: 'sending' }) });
    this.started = { ...this.started, [id]: Date.now() };
    try {
      const { digest } = await fsCall('getFileInfo', { filePath: file.path, digestAlgorithm: 'sha256' });
      channel.send(JSON.stringify({ type: 'file', id, name: file.name, size: file.size, sha256: digest }));
      channel.bufferedAmountLowThreshold = LOW_WATER;
      let queued = 0;
      const progress = () => this.updateTransfer(id, { percent: percentOf(queued - channel.bufferedAmount, file.size) });
      while (queued < file.size) {
        const length = Math.min(READ_BYTES, file.size - queued);
        const { data } = await fsCall('readFile', { filePath: file.path, position: queued, length });
        for (let at = 0; at < data.byteLength; at += CHUNK_BYTES) {
          if (channel.bufferedAmount > HIGH_WATER) await this.drained(channel);
          channel.send(data.slice(at, at + CHUNK_BYTES));
          queued += Math.min(CHUNK_BYTES, data.byteLength - at);
          progress();
        }
      }
      // Sent once the channel has let go of the last byte; delivered when they say so.
      channel.bufferedAmountLowThreshold = 0;
      if (channel.bufferedAmount > 0) await this.drained(channel);
      this.updateTransfer(id, { percent: 100, state: 'sent: waiting for them to save it' });
    } catch (e) {
      this.updateTransfer(id, { state: `failed: ${e.errMsg || e.message}` });
    }
    this.setData({ sending: false });
  },

  // Resolves once the channel's queue drained to its threshold; rejects if it closes first.
  drained(channel) {
    return new Promise((resolve, reject) => {
      const done = (e) => {
        channel.removeEventListener('bufferedamountlow', done);
        channel.removeEventListener('close', done);
        if (e.type === 'close') reject(new Error('the channel closed'));
        else resolve();
      };
      channel.addEventListener('bufferedamountlow', done);
      channel.addEventListener('close', done);
    });
  },

  onFileMessage(data) {
    if (typeof data !== 'string') {
      this.receiveChunk(data);
      return;
    }
    let m;
    try {
      m = JSON.parse(data);
    } catch {
      return;
    }
    if (m.type === 'file') this.startReceiving(m);
    else if (m.type === 'file-done') {
      const started = this.started?.[m.id];
      const seconds = started ? ` in ${((Date.now() - started) / 1000).toFixed(1)} s` : '';
      this.updateTransfer(m.id, { state: m.ok ? `delivered${seconds}: they saved it, SHA-256 checked` : `delivered${seconds}, but their copy differs` });
      if (m.ok) this.setData({ delivered: this.data.delivered + 1 });
    }
  },

  startReceiving(header) {
    const size = Number(header.size);
    if (!Number.isSafeInteger(size) || size < 0) return;
    const name = safeName(header.name);
    const id = `in-${this.nextFile++}`;
    const incoming = (this.incoming = { id, their: header.id, name, size, sha256: header.sha256, received: 0, chunks: [], pending: 0, first: true });
    this.setData({ transfers: this.data.transfers.concat({ id, name, size, direction: 'in', percent: 0, state: 'receiving' }) });
    try {
      fs.mkdirSync(RECEIVED_DIR, true);
    } catch {
      // There already.
    }
    incoming.path = freePath(name);
    incoming.writes = Promise.resolve();
    if (size === 0) this.flush(incoming);
  },

  receiveChunk(bytes) {
    const incoming = this.incoming;
    if (!incoming || incoming.received + bytes.byteLength > incoming.size) return;
    incoming.chunks.push(bytes);
    incoming.pending += bytes.byteLength;
    incoming.received += bytes.byteLength;
    this.updateTransfer(incoming.id, { percent: percentOf(incoming.received, incoming.size) });
    if (incoming.pending >= WRITE_BYTES || incoming.received === incoming.size) this.flush(incoming);
  },

  // What came since the last write goes to the file, after the writes before it.
  flush(incoming) {
    const data = concat(incoming.chunks, incoming.pending);
    const method = incoming.first ? 'writeFile' : 'appendFile';
    incoming.first = false;
    incoming.chunks = [];
    incoming.pending = 0;
    const last = incoming.received === incoming.size;
    incoming.writes = incoming.writes
      .then(() => fsCall(method, { filePath: incoming.path, data }))
      .then(() => (last ? this.finishReceiving(incoming) : null))
      .catch((e) => {
        if (this.incoming === incoming) this.incoming = null;
        this.updateTransfer(incoming.id, { state: `failed: ${e.errMsg || e.message}` });
      });
  },

  async finishReceiving(incoming) {
    if (this.incoming === incoming) this.incoming = null;
    const { size, digest } = await fsCall('getFileInfo', { filePath: incoming.path, digestAlgorithm: 'sha256' });
    const ok = size === incoming.size && digest === incoming.sha256;
    this.updateTransfer(incoming.id, { state: ok ? `saved to ${incoming.path}, SHA-256 checked` : `saved to ${incoming.path}, but it differs from theirs` });
    this.setData({ received: { name: incoming.name, size, path: incoming.path, verified: ok } });
    if (this.files && this.files.readyState === 'open') this.files.send(JSON.stringify({ type: 'file-done', id: incoming.their, ok }));
  },

  endCall() {
    if (this.pc) this.pc.close();
    this.pc = null;
    this.other = null;
    this.chat = null;
    this.files = null;
    if (this.incoming) this.updateTransfer(this.incoming.id, { state: 'failed: they left' });
    this.incoming = null;
    this.setData({ connected: false });
  },

  leave() {
    this.endCall();
    if (this.socket) this.socket.close();
    this.socket = null;
    this.setData({ joined: false, status: 'not joined' });
  },
});
