'use strict';
/**
 * The execution environment of one function, in a process of its own (forked by pool.ts).
 * Plain CommonJS so the function's process loads nothing of the gateway's (no tsx, no app code):
 * what runs is the bundled asset with its template's environment, as in Lambda.
 *
 * Protocol over IPC: the parent sends {type:'invoke', requestId, event, deadline}; this process
 * answers {type:'ready'} once the handler is loaded (or {type:'init-error', error}), then one
 * {type:'result', requestId, result} or {type:'error', requestId, error} per invoke, and
 * {type:'log', requestId, line} per console call. A crash simply ends the process.
 */
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');
const util = require('node:util');

const config = JSON.parse(process.argv[2]);
const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];
const METHOD_LEVELS = { trace: 'TRACE', debug: 'DEBUG', log: 'INFO', info: 'INFO', warn: 'WARN', error: 'ERROR' };
let currentRequestId;

const send = (message) => {
  if (process.connected) process.send(message);
};

function errorFields(error) {
  return { errorType: error.name, errorMessage: error.message, stackTrace: String(error.stack ?? '').split('\n') };
}

// Lambda's Node.js runtime with the JSON log format: one JSON object per console call.
function jsonLine(level, args) {
  const record = { timestamp: new Date().toISOString(), level, requestId: currentRequestId };
  const [first, ...rest] = args;
  if (rest.length === 0) {
    if (first instanceof Error) Object.assign(record, { message: first.message }, errorFields(first));
    else record.message = first;
  } else {
    record.message = util.format(...args);
    for (const arg of rest) if (arg instanceof Error) Object.assign(record, errorFields(arg));
  }
  try {
    return JSON.stringify(record);
  } catch {
    return JSON.stringify({ ...record, message: util.format(...args) });
  }
}

function textLine(level, args) {
  return `${new Date().toISOString()}\t${currentRequestId ?? 'undefined'}\t${level}\t${util.format(...args)}`;
}

function patchConsole() {
  const threshold = config.applicationLogLevel ? LEVELS.indexOf(config.applicationLogLevel) : 0;
  for (const [method, level] of Object.entries(METHOD_LEVELS)) {
    console[method] =
      LEVELS.indexOf(level) < threshold
        ? () => undefined
        : (...args) =>
            send({
              type: 'log',
              requestId: currentRequestId,
              line: config.logFormat === 'JSON' ? jsonLine(level, args) : textLine(level, args),
            });
  }
}

async function loadHandler() {
  const dot = config.handler.lastIndexOf('.');
  const file = config.handler.slice(0, dot);
  const exportName = config.handler.slice(dot + 1);
  const path = ['.js', '.cjs', '.mjs'].map((ext) => join(config.assetDir, `${file}${ext}`)).find(existsSync);
  if (!path) throw new Error(`no ${file}.js/.cjs/.mjs in ${config.assetDir}`);
  const module = path.endsWith('.mjs') ? await import(pathToFileURL(path).href) : require(path);
  const handler = module?.[exportName] ?? module?.default?.[exportName];
  if (typeof handler !== 'function') throw new Error(`${path} exports no function ${exportName}`);
  return handler;
}

function contextFor(requestId, deadline) {
  return {
    functionName: config.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${process.env.AWS_REGION}:123456789012:function:${config.functionName}`,
    memoryLimitInMB: String(config.memorySizeMb),
    awsRequestId: requestId,
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

function run(handler, event, context) {
  return new Promise((resolve, reject) => {
    const callback = (error, result) => (error ? reject(error) : resolve(result));
    const returned = handler(event, context, callback);
    if (returned && typeof returned.then === 'function') returned.then(resolve, reject);
    else if (handler.length < 3) resolve(returned);
  });
}

function serialized(error) {
  return error instanceof Error
    ? errorFields(error)
    : { errorType: typeof error, errorMessage: util.inspect(error), stackTrace: [] };
}

async function main() {
  // The gateway went away (even killed outright): an execution environment never outlives it.
  process.on('disconnect', () => process.exit(0));
  patchConsole();
  let handler;
  try {
    handler = await loadHandler();
  } catch (error) {
    send({ type: 'init-error', error: serialized(error) });
    process.exitCode = 1;
    process.disconnect?.();
    return;
  }
  process.on('message', async (message) => {
    if (message?.type !== 'invoke') return;
    currentRequestId = message.requestId;
    process.env._X_AMZN_TRACE_ID = `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${message.requestId}`;
    try {
      const result = await run(handler, message.event, contextFor(message.requestId, message.deadline));
      try {
        send({ type: 'result', requestId: message.requestId, result: result === undefined ? null : result });
      } catch (error) {
        // The result cannot be serialized (a BigInt, a cycle): Lambda fails such an invocation too.
        send({ type: 'error', requestId: message.requestId, error: serialized(error) });
      }
    } catch (error) {
      send({ type: 'error', requestId: message.requestId, error: serialized(error) });
    }
  });
  send({ type: 'ready' });
}

main();
