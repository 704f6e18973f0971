'use strict';
// Volcengine Live (2023-01-01) through the official @volcengine/openapi: its Service (createAPI: JSON body for a POST,
// the query for a GET), its HMAC-SHA256 Signer and its axios transport, aimed at the loopback emulator. Input: {port,
// now?, accessKeyId, secretKey, steps: [{name, action, method, params, accessKeyId?, secretKey?, sessionToken?,
// skewSeconds?}]}; without "now" the SDK keeps the system clock. Output: {hosts, results: [{name, ok, status, body}]}
// (ok: the answer has no ResponseMetadata.Error; the SDK hands back the body whatever the status, as Live may answer an
// error with HTTP 200). The host stays live.volcengineapi.com.
const { input, runSteps, finish } = require('./lib/harness');
const { Service } = require('@volcengine/openapi');
const axios = require(require.resolve('axios', { paths: [require.resolve('@volcengine/openapi')] }));

// The SDK returns the body only: the status is read on the way.
let lastStatus;
axios.interceptors.response.use((response) => {
  lastStatus = response.status;
  return response;
});

async function main() {
  const results = await runSteps(input.steps, async (step) => {
    const service = new Service({
      serviceName: 'live',
      host: 'live.volcengineapi.com',
      protocol: 'http:',
      region: 'cn-north-1',
      defaultVersion: '2023-01-01',
      accessKeyId: step.accessKeyId || input.accessKeyId,
      secretKey: step.secretKey || input.secretKey,
      sessionToken: step.sessionToken,
    });
    const call = service.createAPI(step.action, { method: step.method, contentType: 'json', Version: '2023-01-01' });
    lastStatus = undefined;
    const body = await call(step.params || {}, { timeout: 20000 });
    const error = body && body.ResponseMetadata && body.ResponseMetadata.Error;
    return { ok: !error, status: lastStatus, body };
  });
  finish({ results });
}

main();
