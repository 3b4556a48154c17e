App({
  globalData: {
    // Where `mprtc signal` serves (docs/signaling.md); a page's ?server= overrides it.
    server: 'ws://127.0.0.1:8443/signal',
  },
});
