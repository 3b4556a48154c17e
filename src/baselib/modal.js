// wx.showModal: the view layer draws the dialog over the page (src/view/modal.c) and answers
// when the user taps one of its buttons; here the platform's arguments are checked and its
// defaults given.

// The platform limits a button's text to 4 Chinese characters.
const MAX_BUTTON_TEXT = 4;

function optionalString(o, key, fallback) {
  if (o[key] === undefined) return fallback;
  if (typeof o[key] !== 'string') throw internal.wxParameterError(key, 'String', o[key]);
  return o[key];
}

function buttonText(o, key, fallback) {
  const text = optionalString(o, key, fallback);
  if ([...text].length > MAX_BUTTON_TEXT) throw new Error(`${key} length should not larger than 4 Chinese characters`);
  return text;
}

function optionalBoolean(o, key, fallback) {
  if (o[key] === undefined) return fallback;
  if (typeof o[key] !== 'boolean') throw internal.wxParameterError(key, 'Boolean', o[key]);
  return o[key];
}

internal.wx.showModal = function showModal(options) {
  return internal.wxCall('showModal', options, async (o) => {
    const params = {
      title: optionalString(o, 'title', ''),
      content: optionalString(o, 'content', ''),
      showCancel: optionalBoolean(o, 'showCancel', true),
      cancelText: buttonText(o, 'cancelText', '取消'),
      cancelColor: optionalString(o, 'cancelColor', '#000000'),
      confirmText: buttonText(o, 'confirmText', '确定'),
      confirmColor: optionalString(o, 'confirmColor', '#576B95'),
      editable: optionalBoolean(o, 'editable', false),
      placeholderText: optionalString(o, 'placeholderText', ''),
    };
    const { confirm, content } = await internal.bridge.callView('View.showModal', params);
    const res = { confirm, cancel: !confirm };
    if (params.editable) res.content = content;
    return res;
  });
};
