App({
  onLaunch() {
    console.log('loopback: launched');
  },
});
