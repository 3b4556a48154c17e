// The WebRTC benchmark, Chromium side: the same measurement in a page.
import { measure } from './webrtc-core.js';

window.benchResult = measure();
