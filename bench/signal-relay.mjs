// The Node relay bench/signal compares with `mprtc signal`: the same protocol (docs/signaling.md)
// on Node's `ws` package, doing the same job: rooms, peer IDs, presence, the relay to one peer or
// the room, messages checked as JSON objects of a known type (the limits are left out).
// Usage: node bench/signal-relay.mjs   (prints "serving ws://127.0.0.1:PORT/signal")
import crypto from 'node:crypto';
import { npmPackage } from '../tests/support/npm-package.mjs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const { WebSocketServer } = await npmPackage(path.join(here, '..', 'tests', 'signal'), 'ws', 'ws@8');
const rooms = new Map(); // name -> Set of clients
const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/signal', perMessageDeflate: false, maxPayload: 1 << 20 });
const error = (ws, code, message) => ws.send(JSON.stringify({ type: 'error', code, message }));

wss.on('connection', (ws) => {
  ws.peer = crypto.randomBytes(8).toString('hex');
  ws.on('message', (data, binary) => {
    let m;
    try { m = JSON.parse(data); } catch { return error(ws, 'bad-json', 'not JSON'); }
    if (typeof m !== 'object' || m === null || Array.isArray(m)) return error(ws, 'bad-json', 'not an object');
    if (m.type === 'join') {
      if (typeof m.room !== 'string' || !/^[A-Za-z0-9._-]{1,64}$/.test(m.room)) return error(ws, 'bad-field', 'room');
      if (ws.room) return error(ws, 'already-joined', 'joined');
      const room = rooms.get(m.room) ?? new Set();
      rooms.set(m.room, room);
      ws.send(JSON.stringify({ type: 'joined', room: m.room, peer: ws.peer, peers: [...room].map((p) => p.peer) }));
      const note = JSON.stringify({ type: 'peer-joined', room: m.room, peer: ws.peer });
      for (const p of room) p.send(note);
      room.add(ws);
      ws.room = m.room;
      return;
    }
    if (!['offer', 'answer', 'candidate', 'message'].includes(m.type)) return error(ws, 'unknown-type', String(m.type));
    if (!ws.room) return error(ws, 'not-joined', m.type);
    const key = m.type === 'message' ? 'data' : m.type === 'candidate' ? 'candidate' : 'sdp';
    if (!(key in m)) return error(ws, 'bad-field', key);
    const out = JSON.stringify({ [key]: m[key], type: m.type, from: ws.peer });
    const room = rooms.get(ws.room);
    if (m.to !== undefined) {
      const to = [...room].find((p) => p.peer === m.to && p !== ws);
      if (!to) return error(ws, 'no-such-peer', m.to);
      to.send(out);
    } else {
      for (const p of room) if (p !== ws) p.send(out);
    }
  });
  ws.on('close', () => {
    const room = ws.room && rooms.get(ws.room);
    if (!room) return;
    room.delete(ws);
    const note = JSON.stringify({ type: 'peer-left', room: ws.room, peer: ws.peer });
    for (const p of room) p.send(note);
    if (!room.size) rooms.delete(ws.room);
  });
});
wss.on('listening', () => console.error(`serving ws://127.0.0.1:${wss.address().port}/signal`));
process.on('SIGTERM', () => process.exit(0));
