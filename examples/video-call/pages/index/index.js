// A two-party video call through a signaling server (`mprtc signal`, docs/signaling.md), with
// standard WebRTC and the standard WebSocket only. Whoever joins a room where someone waits
// calls them; when the other side leaves, the page waits for the next one, who calls again.
// Query: ?room=NAME&server=ws://HOST:PORT/signal&autojoin=1 (all optional).

// The line under the videos: what getStats says, once a second.
const STATS_INTERVAL_MS = 1000;

Page({
  data: {
    room: '', status: 'not joined', joined: false, localId: '', remoteId: '', muted: false, cameraOff: false,
    connected: false, connectMs: 0, calls: 0, remotePlaying: false, statsLine: '', stats: { kbps: 0, fps: 0, rttMs: 0 }, error: '',
  },

  // The platform hands query values over as they were written: encoded ones are decoded here.
  onLoad(query) {
    this.server = query.server ? decodeURIComponent(query.server) : getApp().globalData.server;
    this.setData({ room: query.room ? decodeURIComponent(query.room) : '' });
    if (query.autojoin && query.room) this.join();
  },

  onUnload() {
    this.hangUp();
  },

  onRoom(e) {
    this.setData({ room: e.detail.value });
  },

  async join() {
    if (this.data.joined || !this.data.room) return;
    this.setData({ joined: true, status: 'starting the camera', error: '' });
    try {
      this.local = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 }, audio: true });
    } catch (e) {
      this.setData({ joined: false, status: 'not joined', error: `${e.name}: ${e.message}` });
      return;
    }
    this.setData({ localId: this.local.id, status: 'joining' });
    try {
      this.socket = new WebSocket(this.server);
    } catch (e) {
      // A server address that is not a WebSocket URL: said, and nothing left running.
      this.hangUp();
      this.setData({ error: `the signaling server '${this.server}': ${e.message}` });
      return;
    }
    this.socket.onopen = () => this.send({ type: 'join', room: this.data.room });
    // One message at a time: a candidate must wait for the offer before it to be applied.
    this.signals = Promise.resolve();
    this.socket.onmessage = (e) => {
      const m = JSON.parse(e.data);
      this.signals = this.signals.then(() => this.onSignal(m));
    };
    this.socket.onclose = () => { if (this.data.joined) this.setData({ status: 'the signaling server went away' }); };
    this.socket.onerror = () => this.setData({ error: `cannot reach ${this.server}` });
  },

  send(message) {
    if (this.socket && this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  },

  async onSignal(m) {
    try {
      if (m.type === 'joined') {
        this.me = m.peer;
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
        this.setData({ status: 'they left: waiting for someone to join' });
      } else if (m.type === 'error') {
        this.setData({ error: `signaling: ${m.code}: ${m.message}` });
      }
    } catch (e) {
      this.setData({ error: `${e.name}: ${e.message}` });
    }
  },

  // A connection to peer, with our tracks on it.
  connect(peer) {
    this.endCall();
    this.other = peer;
    this.started = Date.now();
    const pc = (this.pc = new RTCPeerConnection());
    for (const track of this.local.getTracks()) pc.addTrack(track, this.local);
    pc.onicecandidate = (e) => this.send({ type: 'candidate', to: peer, candidate: e.candidate });
    pc.ontrack = (e) => this.setData({ remoteId: e.streams[0].id });
    pc.onconnectionstatechange = () => {
      if (pc !== this.pc) return;
      const state = pc.connectionState;
      if (state === 'connected') {
        this.setData({ status: 'connected', connected: true, connectMs: Date.now() - this.started, calls: this.data.calls + 1 });
      }
      else this.setData({ status: state, connected: false });
    };
    this.statsTimer = setInterval(() => this.updateStats(), STATS_INTERVAL_MS);
    this.setData({ status: 'negotiating' });
    return pc;
  },

  async call(peer) {
    const pc = this.connect(peer);
    await pc.setLocalDescription();
    this.send({ type: 'offer', to: peer, sdp: pc.localDescription.sdp });
  },

  async answer(peer, sdp) {
    const pc = this.connect(peer);
    await pc.setRemoteDescription({ type: 'offer', sdp });
    await pc.setLocalDescription();
    this.send({ type: 'answer', to: peer, sdp: pc.localDescription.sdp });
  },

  onRemotePlay() {
    this.setData({ remotePlaying: true });
  },

  // Received video: bitrate and frames per second since the last look; the round trip of the
  // pair in use.
  async updateStats() {
    const pc = this.pc;
    if (!pc) return;
    const report = await pc.getStats();
    let video = null, pair = null;
    report.forEach((s) => {
      if (s.type === 'inbound-rtp' && s.kind === 'video') video = s;
      if (s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded') pair = s;
    });
    if (!video || pc !== this.pc) return;
    const last = this.lastVideo;
    this.lastVideo = video;
    if (!last) return;
    const seconds = (video.timestamp - last.timestamp) / 1000;
    const kbps = Math.round(((video.bytesReceived - last.bytesReceived) * 8) / seconds / 1000);
    const fps = Math.round((video.framesDecoded - last.framesDecoded) / seconds);
    const rttMs = pair && pair.currentRoundTripTime !== undefined ? Math.round(pair.currentRoundTripTime * 1000) : 0;
    this.setData({ stats: { kbps, fps, rttMs }, statsLine: `${kbps} kbps · ${fps} fps · rtt ${rttMs} ms` });
  },

  toggleMute() {
    const muted = !this.data.muted;
    for (const track of this.local ? this.local.getAudioTracks() : []) track.enabled = !muted;
    this.setData({ muted });
  },

  // The camera off sends black frames (the track disabled), as browsers do; on again, the picture.
  toggleCamera() {
    const cameraOff = !this.data.cameraOff;
    for (const track of this.local ? this.local.getVideoTracks() : []) track.enabled = !cameraOff;
    this.setData({ cameraOff });
  },

  endCall() {
    clearInterval(this.statsTimer);
    if (this.pc) this.pc.close();
    this.pc = null;
    this.other = null;
    this.lastVideo = null;
    this.setData({ remoteId: '', connected: false, remotePlaying: false, statsLine: '', stats: { kbps: 0, fps: 0, rttMs: 0 } });
  },

  hangUp() {
    this.endCall();
    if (this.socket) this.socket.close();
    this.socket = null;
    for (const track of this.local ? this.local.getTracks() : []) track.stop();
    this.local = null;
    this.setData({ joined: false, localId: '', status: 'not joined' });
  },
});
