'use strict';
// What the official SDKs' own signing code makes of fixed inputs, for byte-for-byte comparison with LiveCloud's
// signers. Input: {tencent, acs3, rpc, qiniu, usersig, volcengine, huawei: [cases]} (see
// tests/LiveCloud.Referees.Tests/SignerCases.cs).
// Output: {results: {caseId: {...}}}. No network: pop-core's transport is replaced by one that records the request it
// was handed (its signature is computed before that).
const zlib = require('zlib');
const { input, clock, finish } = require('./lib/harness');
const Sign = require('tencentcloud-sdk-nodejs-common/tencentcloud/common/sign').default;
const OpenApiUtil = require('@alicloud/openapi-util').default;
const RPCClient = require('@alicloud/pop-core').RPCClient;
// pop-core's own copies of its nonce maker and transport (it may have a kitx of its own).
const popCorePath = { paths: [require.resolve('@alicloud/pop-core')] };
const kitx = require(require.resolve('kitx', popCorePath));
const httpx = require(require.resolve('httpx', popCorePath));
const qiniu = require('qiniu');
const TLSSigAPIv2 = require('tls-sig-api-v2');
const VolcengineSigner = require('@volcengine/openapi').Signer;
const { BasicCredentials } = require('@huaweicloud/huaweicloud-sdk-core');
const { AKSKSigner } = require('@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner');

const results = {};

function tencent(c) {
  return {
    authorization: Sign.sign3({
      method: 'POST',
      url: `https://${c.host}/`,
      payload: Buffer.from(c.payloadBase64, 'base64'),
      timestamp: c.timestamp,
      service: c.service,
      secretId: c.secretId,
      secretKey: c.secretKey,
      headers: { 'Content-Type': c.contentType },
    }),
  };
}

function acs3(c) {
  const request = { pathname: '/', method: c.method, query: c.query, headers: c.headers };
  return { authorization: OpenApiUtil.getAuthorization(request, 'ACS3-HMAC-SHA256', c.headers['x-acs-content-sha256'], c.accessKeyId, c.secret) };
}

async function rpc(c) {
  // openapi-util's RPC signature over the whole parameter set, as openapi-client's v2 path builds it.
  const all = Object.assign({
    Action: c.action, Format: 'JSON', Version: c.version, Timestamp: c.timestamp, SignatureMethod: 'HMAC-SHA1',
    SignatureVersion: '1.0', SignatureNonce: c.nonce, AccessKeyId: c.accessKeyId,
  }, c.securityToken ? { SecurityToken: c.securityToken } : {}, c.params);
  const openApi = OpenApiUtil.getRPCSignature(all, c.method, c.secret);

  // pop-core's request path with its nonce and clock fixed, up to the transport.
  kitx.makeNonce = () => c.nonce;
  clock.epochMs = Date.parse(c.timestamp);
  let captured = null;
  httpx.request = async (url, opts) => {
    captured = { url, data: opts.data };
    throw new Error('captured');
  };
  const client = new RPCClient({ endpoint: 'http://live.aliyuncs.com', apiVersion: c.version, accessKeyId: c.accessKeyId, accessKeySecret: c.secret, securityToken: c.securityToken });
  await client.request(c.action, c.params, { method: c.method, formatParams: false }).catch(() => {});
  const text = c.method === 'POST' ? captured.data : captured.url.slice(captured.url.indexOf('?') + 1);
  const popCore = decodeURIComponent(text.split('&').find((p) => p.startsWith('Signature=')).slice('Signature='.length));
  return { openApi, popCore };
}

function qiniuToken(c) {
  const mac = new qiniu.auth.digest.Mac(c.accessKey, c.secretKey);
  return { authorization: qiniu.util.generateAccessTokenV2(mac, `http://${c.host}${c.pathAndQuery}`, c.method, c.contentType, c.body, c.headers) };
}

function usersig(c) {
  clock.epochMs = c.time * 1000;
  const api = new TLSSigAPIv2.Api(c.sdkAppId, c.key);
  const sig = c.room === undefined ? api.genUserSig(c.identifier, c.expire) : api.genPrivateMapKey(c.identifier, c.expire, c.room, 255);
  const compressed = Buffer.from(sig.replace(/\*/g, '+').replace(/-/g, '/').replace(/_/g, '='), 'base64');
  return { sig, document: JSON.parse(zlib.inflateSync(compressed).toString('utf8')) };
}

// @volcengine/openapi's Signer over a request as its Service hands it over (the query with Action and Version, the
// headers to sign, the body text), at a fixed date. It signs every header it is given except its unsignable ones
// (content-type among them), plus X-Date, X-Content-Sha256 for a body and X-Security-Token.
function volcengine(c) {
  const request = { region: c.region, method: c.method, pathname: '/', params: c.query, headers: Object.assign({}, c.headers), body: c.body };
  new VolcengineSigner(request, c.service).addAuthorization({ accessKeyId: c.accessKeyId, secretKey: c.secret, sessionToken: c.token }, new Date(Date.parse(c.date)));
  return { authorization: request.headers.Authorization };
}

// The Huawei SDK core's AKSKSigner over a request as BasicCredentials hands it over (endpoint with the path, the query,
// the headers, the body object, which it hashes as JSON.stringify makes it), with the clock at the case's date.
function huawei(c) {
  clock.epochMs = Date.parse(c.date);
  const request = { method: c.method, endpoint: `https://${c.host}${c.path}`, headers: Object.assign({}, c.headers), queryParams: c.query, data: c.body === undefined ? undefined : JSON.parse(c.body) };
  const headers = AKSKSigner.sign(request, new BasicCredentials().withAk(c.ak).withSk(c.sk));
  return { authorization: headers.Authorization, sdkDate: headers['X-Sdk-Date'], body: request.data === undefined ? null : JSON.stringify(request.data) };
}

async function main() {
  for (const c of input.tencent || []) results[c.id] = tencent(c);
  for (const c of input.acs3 || []) results[c.id] = acs3(c);
  for (const c of input.rpc || []) results[c.id] = await rpc(c);
  for (const c of input.qiniu || []) results[c.id] = qiniuToken(c);
  for (const c of input.usersig || []) results[c.id] = usersig(c);
  for (const c of input.volcengine || []) results[c.id] = volcengine(c);
  for (const c of input.huawei || []) results[c.id] = huawei(c);
  finish({ results });
}

main();
