'use strict';
// Tencent Cloud Live through the official tencentcloud-sdk-nodejs-common CommonClient (TC3-HMAC-SHA256), aimed at the
// loopback emulator. Input: {port, now, secretId, secretKey, region, steps: [{name, action, params, secretId?,
// secretKey?, skewSeconds?}]}. Output: {hosts, results: [{name, ok, response} | {name, ok: false, code, message,
// requestId, httpCode}]}. The host stays live.tencentcloudapi.com: the SDK takes the service name from its first
// label and signs the host without a port.
const { input, agent, runSteps, finish } = require('./lib/harness');
const { CommonClient } = require('tencentcloud-sdk-nodejs-common');

async function main() {
  const results = await runSteps(input.steps, async (step) => {
    const client = new CommonClient('live.tencentcloudapi.com', '2018-08-01', {
      credential: { secretId: step.secretId || input.secretId, secretKey: step.secretKey || input.secretKey },
      region: input.region,
      profile: { httpProfile: { protocol: 'http://', agent, reqTimeout: 20 } },
    });
    try {
      return { ok: true, response: await client.request(step.action, step.params || {}) };
    } catch (e) {
      return { ok: false, code: e.code, message: e.message, requestId: e.requestId, httpCode: e.httpCode };
    }
  });
  finish({ results });
}

main();
