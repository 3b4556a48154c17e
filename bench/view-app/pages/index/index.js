// The view benchmark, mprtc side: the measurement of view-core.js on a mini-program page.
// setData's callback runs once the view layer has applied the change and laid the page out.
// CPU figures come from the SDK's test surface (mprtc run --testing).
const { measure } = require('../../view-core.js');

Page({
  data: { tick: 0, rows: [], streamId: '', done: false },
  async onReady() {
    const set = (data) => new Promise((resolve) => this.setData(data, resolve));
    const engine = {
      apply(change) {
        if ('rows' in change) return set({ rows: change.rows });
        if ('row' in change) return set({ [`rows[${change.row}].name`]: change.name });
        return set({ tick: change.tick });
      },
      camera: () => navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480, frameRate: 30 } }),
      show: async (stream) => {
        const playing = stream ? new Promise((resolve) => { this.onPlay = resolve; }) : null;
        await set({ streamId: stream ? stream.id : '' });
        await playing;
      },
      release: (stream) => { for (const t of stream.getTracks()) t.stop(); },
      process: () => mprtc.bridge.info(),
    };
    const r = await measure(engine, (phase) => console.warn(`bench/view: mprtc ${phase} ...`));
    console.log('BENCH ' + JSON.stringify(r));
    this.setData({ done: true });
  },
});
