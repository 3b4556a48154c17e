// A call to oneself: the camera goes into one RTCPeerConnection and comes out of a second one,
// over real ICE, DTLS and RTP. Standard WebRTC only; the page shows both streams by their IDs.
Page({
  data: { status: 'idle', localId: '', remoteId: '', remoteSize: '', inCall: false, playing: false, error: '' },

  onLoad() {
    this.call();
  },

  onUnload() {
    this.release();
  },

  async call() {
    if (this.data.inCall) return;
    this.played = new Set();
    this.setData({ status: 'calling', inCall: true, playing: false, error: '' });
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 }, audio: true });
      const caller = new RTCPeerConnection();
      const callee = new RTCPeerConnection();
      this.local = stream;
      this.peers = [caller, callee];
      caller.onicecandidate = (e) => e.candidate && callee.addIceCandidate(e.candidate);
      callee.onicecandidate = (e) => e.candidate && caller.addIceCandidate(e.candidate);
      callee.ontrack = (e) => this.setData({ remoteId: e.streams[0].id });
      callee.onconnectionstatechange = () => this.setData({ status: callee.connectionState });
      for (const track of stream.getTracks()) caller.addTrack(track, stream);
      this.setData({ localId: stream.id });
      await caller.setLocalDescription();
      await callee.setRemoteDescription(caller.localDescription);
      await callee.setLocalDescription();
      await caller.setRemoteDescription(callee.localDescription);
    } catch (e) {
      this.release();
      this.setData({ status: 'idle', inCall: false, error: `${e.name}: ${e.message}` });
    }
  },

  // The videos let go of the streams first, then the call ends: nothing shows an ended stream.
  hangUp() {
    this.setData({ status: 'idle', localId: '', remoteId: '', remoteSize: '', inCall: false, playing: false },
      () => this.release());
  },

  release() {
    for (const pc of this.peers || []) pc.close();
    for (const track of this.local ? this.local.getTracks() : []) track.stop();
    this.peers = [];
    this.local = null;
  },

  onPlay(e) {
    this.played.add(e.currentTarget.dataset.side);
    if (this.played.size === 3) this.setData({ playing: true });
  },

  onResize(e) {
    this.setData({ remoteSize: `${e.detail.videoWidth}x${e.detail.videoHeight}` });
  },

  onMediaError(e) {
    this.setData({ error: e.detail.errMsg });
  },
});
