'use strict';
// Qiniu Pili's v2 management API through the official qiniu package: its Mac and its signed requests (rpc
// getWithOptions / postWithOptions, the Qiniu token "V2" with the X-Qiniu-Date header it adds), aimed at the
// loopback emulator. The package has no Pili code, so the paths and bodies are the ones Qiniu's Go SDK (package
// pili) sends. Input: {port, now, accessKey, secretKey, steps: [{name, method, path, body?, secretKey?}]}.
// Output: {hosts, results: [{name, ok, status, reqId, body}]} (ok: a 2xx answer). The URL keeps the production host
// without a port: the package would sign "host:port:port" for a URL with a port.
const { input, agent, runSteps, finish } = require('./lib/harness');
const qiniu = require('qiniu');

qiniu.conf.RPC_HTTP_AGENT = agent;
qiniu.conf.RPC_TIMEOUT = 20000;

async function main() {
  const results = await runSteps(input.steps, async (step) => {
    const mac = new qiniu.auth.digest.Mac(input.accessKey, step.secretKey || input.secretKey);
    const url = `http://pili.qiniuapi.com${step.path}`;
    const response = step.method === 'GET'
      ? await qiniu.rpc.getWithOptions(url, { mac })
      : await qiniu.rpc.postWithOptions(url, step.body === undefined ? null : JSON.stringify(step.body), { mac, headers: { 'Content-Type': 'application/json' } });
    const status = response.res.statusCode;
    return { ok: status >= 200 && status < 300, status, reqId: response.res.headers['x-reqid'], body: response.data };
  });
  finish({ results });
}

main();
