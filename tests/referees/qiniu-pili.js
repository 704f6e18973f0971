'use strict';
// Qiniu Pili's v2 management API through the official qiniu package: its Mac and its signed requests (rpc
// getWithOptions / postWithOptions, the Qiniu token "V2" with the X-Qiniu-Date header it adds), aimed at the
// loopback emulator. The package has no Pili code, so the paths and bodies are the ones Qiniu's Go SDK (package
// pili) sends; the Pub relay API (pili-pub.qiniuapi.com, "host" of a step) is signed the same way. Input: {port, now,
// accessKey, secretKey, steps: [{name, method, path, host?, body?, secretKey?}]}. Output: {hosts, results: [{name, ok,
// status, reqId, body}]} (ok: a 2xx answer). The URL keeps the production host without a port: the package would sign
// "host:port:port" for a URL with a port. The package's rpc has no DELETE: a DELETE is signed by its own
// generateAccessTokenV2 (with the X-Qiniu-Date it adds) and sent by its own urllib, as its GET is.
const { input, agent, runSteps, finish } = require('./lib/harness');
const qiniu = require('qiniu');
const urllib = require(require.resolve('urllib', { paths: [require.resolve('qiniu')] }));

qiniu.conf.RPC_HTTP_AGENT = agent;
qiniu.conf.RPC_TIMEOUT = 20000;

async function del(url, mac) {
  const headers = { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Qiniu-Date': qiniu.util.formatDateUTC(new Date(), 'YYYYMMDDTHHmmssZ') };
  headers.Authorization = qiniu.util.generateAccessTokenV2(mac, url, 'DELETE', headers['Content-Type'], null, headers);
  headers['User-Agent'] = qiniu.conf.USER_AGENT;
  const res = await urllib.request(url, { method: 'DELETE', headers, dataType: 'json', agent, timeout: qiniu.conf.RPC_TIMEOUT });
  return { data: res.data, res: res.res };
}

async function main() {
  const results = await runSteps(input.steps, async (step) => {
    const mac = new qiniu.auth.digest.Mac(input.accessKey, step.secretKey || input.secretKey);
    const url = `http://${step.host || 'pili.qiniuapi.com'}${step.path}`;
    const response = step.method === 'GET' ? await qiniu.rpc.getWithOptions(url, { mac })
      : step.method === 'DELETE' ? await del(url, mac)
      : await qiniu.rpc.postWithOptions(url, step.body === undefined ? null : JSON.stringify(step.body), { mac, headers: { 'Content-Type': 'application/json' } });
    const status = response.res.statusCode;
    return { ok: status >= 200 && status < 300, status, reqId: response.res.headers['x-reqid'], body: response.data };
  });
  finish({ results });
}

main();
