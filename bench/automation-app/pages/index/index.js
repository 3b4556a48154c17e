// The automation benchmark's page (bench/automation.mjs): a counter a tap adds to, and rows.
Page({
  data: { n: 0, rows: Array.from({ length: 50 }, (_, i) => i) },
  add() { this.setData({ n: this.data.n + 1 }); },
});
