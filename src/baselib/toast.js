// wx.showToast / hideToast / showLoading / hideLoading: the view layer draws them over the page
// (src/view/toast.c); here the platform's arguments are checked and its defaults given.

const ICONS = ['success', 'error', 'loading', 'none'];

function checkTitle(o) {
  if (typeof o.title !== 'string') throw internal.wxParameterError('title', 'String', o.title);
}

const show = (params) => internal.bridge.callView('View.showToast', params).then(() => ({}));
const hide = () => internal.bridge.callView('View.hideToast', {}).then(() => ({}));

Object.assign(internal.wx, {
  showToast(options) {
    return internal.wxCall('showToast', options, (o) => {
      checkTitle(o);
      const icon = o.icon === undefined ? 'success' : o.icon;
      if (!ICONS.includes(icon)) throw new Error(`parameter error: parameter.icon should be one of ${ICONS.join(', ')}`);
      const duration = o.duration === undefined ? 1500 : Number(o.duration);
      if (!(duration >= 0)) throw new Error('parameter error: parameter.duration should be a number of milliseconds');
      return show({ title: o.title, icon, duration: Math.round(Math.min(duration, 2147483647)) });
    });
  },
  hideToast(options) { return internal.wxCall('hideToast', options, hide); },
  // A loading toast stays until hideLoading.
  showLoading(options) {
    return internal.wxCall('showLoading', options, (o) => {
      checkTitle(o);
      return show({ title: o.title, icon: 'loading', duration: 0 });
    });
  },
  hideLoading(options) { return internal.wxCall('hideLoading', options, hide); },
});
