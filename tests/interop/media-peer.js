// The media peer of the interop test, in standard W3C APIs only (it runs in mprtc and in
// Chromium, like peer.js): both sides send their camera and microphone and check, from their
// own getStats(), that the peer's video is decoded at its size and its audio is heard.
//
//   1. getUserMedia({audio, video 320x240}) on both sides (fake devices).
//   2. The offerer adds both tracks (with `codec`, it prefers that video codec alone:
//      setCodecPreferences) and offers; the answerer sets the offer, adds its tracks
//      (reusing the offered transceivers, so both directions go on two m-sections) and answers.
//   3. Both wait for 'connected', then poll getStats until the peer's video has decoded frames
//      at 320x240 and its audio has a level above silence; their own outbound-rtp shows frames
//      encoded.
//   4. Both check that the answer negotiated transport-wide congestion control feedback for the
//      audio and the video (a=extmap for its header extension, a=rtcp-fb transport-cc), and
//      report their sending bandwidth estimate where the engine has one (candidate-pair
//      availableOutgoingBitrate: Chromium's climbs on mprtc's feedback; a figure, not a check).
//   5. Both send "done", wait for the other's, and close.
import { Abort, Signaling, STEP_TIMEOUT_MS, offerAnswer, stepTools } from './peer.js';

export const MEDIA_CHECKS = {
  signaling: 'the signaling WebSocket opens',
  devices: 'getUserMedia gives a 320x240 camera and a microphone',
  negotiated: 'offer/answer exchanged: track events for the audio and the video of one stream',
  connected: "connectionState reaches 'connected'",
  video: "the peer's video is decoded here at 320x240 (inbound-rtp framesDecoded)",
  audio: "the peer's audio is heard here (inbound-rtp audioLevel above silence)",
  sent: 'outbound-rtp shows our video encoded and sent',
  feedback: 'the answer negotiates transport-cc feedback for the audio and the video (a=extmap, a=rtcp-fb)',
};

const TWCC = 'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01';

export function mediaChecksFor() {
  return Object.values(MEDIA_CHECKS);
}

// play(stream): plays the remote stream where the page can (a browser decodes audio only for an
// output that pulls it); mprtc decodes without one.
export async function runMediaPeer({ url, role, impl, report, log = () => {}, play = () => {}, codec = null }) {
  if (role !== 'offerer' && role !== 'answerer') throw new Error(`bad role '${role}'`);
  const signaling = new Signaling(url);
  let pc = null;
  let stream = null;
  const { bounded, check, must } = stepTools(signaling, report);
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  // Polls getStats until pick(stats) returns something, bounded; the last stats go in the error.
  const statsUntil = async (what, pick, ms = STEP_TIMEOUT_MS) => {
    const deadline = performance.now() + ms;
    for (;;) {
      const stats = [...(await pc.getStats()).values()];
      const found = pick(stats);
      if (found) return found;
      if (performance.now() > deadline) {
        throw new Error(`no ${what} after ${ms} ms: ${JSON.stringify(stats.filter((s) => /rtp/.test(s.type)))}`);
      }
      await Promise.race([sleep(200), signaling.peerAbort]);
    }
  };

  try {
    await must(MEDIA_CHECKS.signaling, () => bounded(signaling.open(), 'the WebSocket to open'));
    await must(MEDIA_CHECKS.devices, async () => {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 320, height: 240, frameRate: 30 } });
      const s = stream.getVideoTracks()[0].getSettings();
      if (s.width !== 320 || s.height !== 240) throw new Error(`the camera gives ${s.width}x${s.height}`);
      return `${stream.getTracks().map((t) => t.kind).join('+')} ${s.width}x${s.height}`;
    });

    pc = new RTCPeerConnection();
    const trackEvents = [];
    pc.addEventListener('track', (e) => trackEvents.push(e));
    let remoteSet = false;
    const held = [];
    const addCandidate = (c) => (c === null ? pc.addIceCandidate() : pc.addIceCandidate(c)).catch((e) => log(`addIceCandidate: ${e.name}: ${e.message}`));
    signaling.on('candidate', (msg) => (remoteSet ? addCandidate(msg.candidate) : held.push(msg.candidate)));
    const remoteDescriptionSet = () => {
      remoteSet = true;
      held.splice(0).forEach(addCandidate);
    };
    pc.addEventListener('icecandidate', (e) => signaling.send({ type: 'candidate', candidate: e.candidate ? e.candidate.toJSON() : null }));
    const connected = new Promise((resolve, reject) => {
      const look = () => {
        if (pc.connectionState === 'connected') resolve();
        else if (pc.connectionState === 'failed' || pc.connectionState === 'closed') reject(new Error(`connectionState became '${pc.connectionState}'`));
      };
      pc.addEventListener('connectionstatechange', look);
      look();
    });
    connected.catch(() => {});

    await must(MEDIA_CHECKS.negotiated, async () => {
      if (role === 'offerer') {
        for (const t of stream.getTracks()) pc.addTrack(t, stream);
        if (codec) {
          // Constrained baseline in packetization mode 1 for H264: what both ends encode.
          const wanted = RTCRtpReceiver.getCapabilities('video').codecs.filter((c) => c.mimeType === `video/${codec}` &&
            (codec !== 'H264' || (/packetization-mode=1/.test(c.sdpFmtpLine) && /profile-level-id=42e01f/.test(c.sdpFmtpLine))));
          if (!wanted.length) throw new Error(`no ${codec} among the receiver capabilities`);
          pc.getTransceivers().find((t) => t.sender.track.kind === 'video').setCodecPreferences(wanted);
        }
      }
      await offerAnswer(pc, signaling, role, bounded, '', () => {
        for (const t of stream.getTracks()) pc.addTrack(t, stream);
      });
      remoteDescriptionSet();
      play(trackEvents[0].streams[0]);
      const kinds = trackEvents.map((e) => e.track.kind).sort().join('+');
      if (kinds !== 'audio+video') throw new Error(`track events for ${kinds || 'nothing'}`);
      if (!trackEvents.every((e) => e.streams.length === 1 && e.streams[0] === trackEvents[0].streams[0])) {
        throw new Error('the tracks are not in one remote stream');
      }
      const codecs = pc.remoteDescription.sdp.match(/a=rtpmap:\d+ (VP8|VP9|H264|opus)\//gi) ?? [];
      return `remote stream ${trackEvents[0].streams[0].id}; ${pc.getTransceivers().map((t) => `${t.mid}:${t.currentDirection}`).join(' ')}; ${codecs.length} codec lines`;
    });
    await must(MEDIA_CHECKS.connected, () => bounded(connected, "connectionState 'connected'"));

    await check(MEDIA_CHECKS.video, async () => {
      const s = await statsUntil('decoded video', (all) => all.find((x) => x.type === 'inbound-rtp' && x.kind === 'video' && x.framesDecoded >= 30));
      const used = [...(await pc.getStats()).values()].find((x) => x.id === s.codecId);
      if (s.frameWidth !== 320 || s.frameHeight !== 240) throw new Error(`decoded at ${s.frameWidth}x${s.frameHeight}`);
      if (codec && (!used || used.mimeType.toLowerCase() !== `video/${codec}`.toLowerCase())) {
        throw new Error(`decoded ${used && used.mimeType}, not ${codec}`);
      }
      return `${s.framesDecoded} frames ${s.frameWidth}x${s.frameHeight} ${used ? used.mimeType : ''}`;
    });
    await check(MEDIA_CHECKS.audio, async () => {
      // Chromium's fake microphone beeps once a second: the loudest level over a while counts.
      let loudest = 0;
      const s = await statsUntil('audio above silence', (all) => {
        const a = all.find((x) => x.type === 'inbound-rtp' && x.kind === 'audio');
        if (a && a.audioLevel > loudest) loudest = a.audioLevel;
        return loudest > 0.01 ? a : null;
      });
      return `audioLevel up to ${loudest.toFixed(3)}, ${s.packetsReceived} packets`;
    });
    await check(MEDIA_CHECKS.sent, async () => {
      const s = await statsUntil('encoded video', (all) => all.find((x) => x.type === 'outbound-rtp' && x.kind === 'video' && x.framesEncoded > 0 && x.bytesSent > 0));
      return `${s.framesEncoded} frames, ${s.bytesSent} bytes`;
    });

    await check(MEDIA_CHECKS.feedback, async () => {
      const answer = (role === 'offerer' ? pc.remoteDescription : pc.localDescription).sdp;
      for (const m of answer.split(/\r\nm=/).slice(1).filter((x) => /^(audio|video) /.test(x))) {
        const kind = m.split(' ')[0];
        if (!m.split('\r\n').some((l) => /^a=extmap:\d+(\/\w+)? /.test(l) && l.endsWith(' ' + TWCC))) throw new Error(`no a=extmap for transport-cc in the ${kind} answer`);
        if (!/\r\na=rtcp-fb:\d+ transport-cc/.test(m)) throw new Error(`no a=rtcp-fb transport-cc in the ${kind} answer`);
      }
      const pair = [...(await pc.getStats()).values()].find((x) => x.type === 'candidate-pair' && x.availableOutgoingBitrate);
      return pair ? `sending bandwidth estimate ${Math.round(pair.availableOutgoingBitrate / 1000)} kbit/s` : 'negotiated';
    });

    signaling.send({ type: 'done' });
    await bounded(signaling.next('done'), 'the peer to finish', 2 * STEP_TIMEOUT_MS);
    log(`done (${role})`);
  } catch (e) {
    if (!(e instanceof Abort)) report({ check: 'the run goes on without an exception', ok: false, detail: String(e && e.message) });
    log(`aborted (${role}): ${e && e.message}`);
    try { signaling.send({ type: 'abort', reason: `${impl} (${role}): ${e && e.message}` }); } catch {}
  } finally {
    if (pc) pc.close();
    if (stream) stream.getTracks().forEach((t) => t.stop());
    signaling.close();
  }
}
