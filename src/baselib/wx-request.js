// wx.request: the platform's HTTP call (docs/miniprogram.md) over the one request path fetch uses
// (internal.http, src/baselib/fetch.js): a RequestTask, success/fail/complete callbacks, the
// platform's data conversions and errMsgs.

const REQUEST_METHODS = ['OPTIONS', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'TRACE', 'CONNECT', 'PATCH'];

function formEncode(data) {
  return Object.keys(data).map((k) => `${encodeURIComponent(k)}=${encodeURIComponent(
    typeof data[k] === 'object' && data[k] !== null ? JSON.stringify(data[k]) : String(data[k]))}`).join('&');
}

Object.assign(internal.wx, {
  request(options) {
    const o = internal.isObject(options) ? options : {};
    const controller = new AbortController();
    const task = { abort() { controller.abort(); }, onHeadersReceived() {}, offHeadersReceived() {} };
    const fail = (why) => internal.wxSettle('request', o, false, { errMsg: `request:fail ${why}` });
    const method = o.method === undefined ? 'GET' : String(o.method).toUpperCase();
    if (typeof o.url !== 'string') {
      fail('parameter error: parameter.url should be String');
      return task;
    }
    if (!/^https?:\/\//i.test(o.url)) {
      fail(`invalid url "${o.url}"`);
      return task;
    }
    if (!REQUEST_METHODS.includes(method)) {
      fail(`parameter error: method should be one of ${REQUEST_METHODS.join(', ')}`);
      return task;
    }
    const header = internal.isObject(o.header) ? o.header : {};
    const headers = Object.keys(header).map((k) => [k, String(header[k])]);
    const typeHeader = headers.find(([k]) => k.toLowerCase() === 'content-type');
    if (!typeHeader) headers.push(['content-type', 'application/json']);
    const contentType = typeHeader ? typeHeader[1] : 'application/json';
    let url = o.url, body = null;
    const data = o.data;
    if (data !== undefined && data !== null) {
      if (method === 'GET' || method === 'HEAD') {
        // GET's data becomes the query string, as on the platform.
        const query = typeof data === 'string' ? data : internal.isObject(data) ? formEncode(data) : String(data);
        if (query) url += (url.includes('?') ? '&' : '?') + query;
      } else if (data instanceof ArrayBuffer) {
        body = new Uint8Array(data.slice(0));
      } else if (typeof data === 'string') {
        body = native.utf8Encode(data);
      } else if (/x-www-form-urlencoded/i.test(contentType) && internal.isObject(data)) {
        body = native.utf8Encode(formEncode(data));
      } else {
        body = native.utf8Encode(JSON.stringify(data));
      }
    }
    const timeout = o.timeout === undefined ? 60000 : Number(o.timeout);
    internal.http({ method, url, headers, body, signal: controller.signal, timeout: timeout > 0 ? Math.round(timeout) : undefined })
      .then((r) => {
        let result = r.body;
        if (o.responseType !== 'arraybuffer') {
          result = native.utf8Decode(new Uint8Array(r.body), false, false)[0];
          if (o.dataType === undefined || o.dataType === 'json') {
            try { result = JSON.parse(result); } catch { /* not JSON: the text, as on the platform */ }
          }
        }
        const headerObject = {};
        for (const [k, v] of r.headers) headerObject[k] = k in headerObject ? `${headerObject[k]}, ${v}` : v;
        internal.wxSettle('request', o, true, { data: result, statusCode: r.status, header: headerObject, cookies: [], errMsg: 'request:ok' });
      }, (error) => {
        if (controller.signal.aborted) fail('abort');
        else if (error?.timedOut) fail('timeout');
        else fail(String(error?.message ?? error).replace(/^Failed to fetch: /, ''));
      });
    return task;
  },
});
