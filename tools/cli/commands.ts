import type { CommandSpec } from './command-line';

/**
 * Every tool's flags, in one place: the entry points parse with them, `--help` prints them,
 * docs/local-tools.md lists them and test/tools/cli checks each one appears in each --help.
 */

const TOKEN_FLAGS = {
  token: {
    kind: 'string',
    valueName: '<jwt>',
    description: 'the token itself: AVOID, npm and the shell history echo it; a warning is printed',
  },
  'token-file': { kind: 'path', description: 'read the token from this file (Bearer prefix accepted)' },
  'token-stdin': { kind: 'boolean', description: 'read the token from standard input' },
} as const;

export const START_COMMAND = {
  command: 'npm start --',
  summary:
    'Synthesizes the stack into its own folder, starts the local identity provider and the local gateway ' +
    'in front of it,\nthen watches lambda/, rules/, lib/, bin/ and cdk.json and reloads what changed. ' +
    'Ctrl-C stops everything.',
  flags: {
    context: {
      kind: 'context',
      short: 'c',
      description: 'a context value passed to the synth as cdk synth -c does (e.g. -c env=staging)',
    },
    port: { kind: 'port', default: 8080, description: "the local gateway's port (0 picks a free one)" },
    'idp-port': {
      kind: 'port',
      default: 9443,
      description: "the local identity provider's port; the issuer URL the stack is synthesized with uses it",
    },
    host: { kind: 'string', default: '127.0.0.1', description: 'the address both servers listen on' },
    'out-dir': {
      kind: 'path',
      default: '.local/cdk.out',
      description: 'where npm start synthesizes (never cdk.out); replaced whole, only after a synth succeeds',
    },
    'skip-synth': { kind: 'boolean', description: 'serve the last synthesis in --out-dir without synthesizing' },
    'no-watch': { kind: 'boolean', description: 'do not watch the sources for changes (no hot reload)' },
    'runtimes-per-function': {
      kind: 'count',
      default: 4,
      description: 'execution environments at most per function (concurrent invocations)',
    },
  },
  notes: 'Exit status: 0 after Ctrl-C, 1 when a server cannot start or the first synth fails, 2 for a bad flag.',
} as const satisfies CommandSpec;

export const GATEWAY_COMMAND = {
  command: 'npm run gateway --',
  summary:
    "Serves a synthesized HTTP API locally: routes, CORS, JWT authorizers with the issuer's real keys, and each\n" +
    'function in Lambda-like runtimes of its own. Prints `local-gateway listening {json}` when ready.',
  flags: {
    'cdk-out': { kind: 'path', default: 'cdk.out', description: 'the cloud assembly to serve' },
    stack: { kind: 'string', description: 'the stack to serve, when the assembly holds several' },
    host: { kind: 'string', default: '127.0.0.1', description: 'the address to listen on' },
    port: { kind: 'port', default: 8080, description: 'the port to listen on (0 picks a free one)' },
    'ca-file': {
      kind: 'path',
      description: "a PEM CA to trust when fetching the issuer's keys (a local WSO2 IS's self-signed certificate)",
    },
    'no-access-log': { kind: 'boolean', description: 'do not print the access-log line of each request' },
    'runtimes-per-function': {
      kind: 'count',
      default: 4,
      description: 'execution environments at most per function (concurrent invocations)',
    },
    region: { kind: 'string', default: 'us-east-1', description: "the functions' AWS_REGION" },
    'in-process': {
      kind: 'boolean',
      description: "run functions in the gateway's own process (no isolation; for benchmarks only)",
    },
  },
} as const satisfies CommandSpec;

export const IDP_COMMAND = {
  command: 'npm run idp --',
  summary:
    'A local identity provider shaped like WSO2 Identity Server (discovery, JWKS, token endpoint) over HTTPS.\n' +
    'Prints `local-idp listening {json}` when ready.',
  flags: {
    port: { kind: 'port', default: 9443, description: 'the port to listen on (0 picks a free one)' },
    host: { kind: 'string', default: '127.0.0.1', description: 'the address to listen on' },
    'cert-dir': {
      kind: 'path',
      default: '.local-certs',
      description: 'where the self-signed certificate and the signing key are kept',
    },
  },
} as const satisfies CommandSpec;

export const BACKEND_COMMAND = {
  command: 'npm run backend --',
  summary:
    "The echo backend behind the demo's HTTP proxy route: answers JSON with the method, path, query and the\n" +
    'identity headers (x-wso2-*) it received, never Authorization. Prints `local-backend listening {json}` when ready.',
  flags: {
    port: { kind: 'port', default: 9081, description: 'the port to listen on (0 picks a free one)' },
    host: { kind: 'string', default: '127.0.0.1', description: 'the address to listen on' },
  },
} as const satisfies CommandSpec;

export const DOCTOR_COMMAND = {
  command: 'npm run doctor --',
  summary:
    "Checks that an environment's WSO2 issuer (and, given one, a token) will work with API Gateway's JWT\n" +
    'authorizer. The token comes from DOCTOR_TOKEN, --token-file or --token-stdin: ways that never echo it.',
  flags: {
    context: {
      kind: 'context',
      short: 'c',
      description: 'the same context overrides as cdk synth (env, issuerUrl, audiences)',
    },
    ...TOKEN_FLAGS,
    json: { kind: 'boolean', description: 'print the results as JSON' },
    'ca-file': { kind: 'path', description: 'also trust this CA (e.g. a local WSO2 IS); reported as local only' },
    'allow-private': { kind: 'boolean', description: 'check a loopback/private issuer; reported as local only' },
  },
  notes:
    'Environment: DOCTOR_TOKEN, the token to check (when no --token* flag is given).\n' +
    'Exit status: 0 nothing failed, 1 a check failed, 2 bad usage.',
} as const satisfies CommandSpec;

export const SMOKE_COMMAND = {
  command: 'npm run smoke --',
  summary:
    'After a deploy: GET /health 200, a protected route 401 without a token and, with a token, 200 on a route\n' +
    'it has scopes for and 403 on one it has not.',
  flags: {
    context: { kind: 'context', short: 'c', description: 'the environment, as cdk synth reads it (e.g. -c env=prod)' },
    ...TOKEN_FLAGS,
    'outputs-file': {
      kind: 'path',
      description: 'the file cdk deploy --outputs-file wrote: its ApiUrl output is the base URL',
    },
    url: { kind: 'string', description: "the API's base URL (instead of --outputs-file)" },
  },
  notes:
    'Environment: SMOKE_TOKEN, the token (when no --token* flag is given).\n' +
    'Exit status: 0 every check passed, 1 a check failed, 2 bad usage.',
} as const satisfies CommandSpec;

export const BENCH_COMMAND = {
  command: 'npm run bench --',
  summary:
    'Measures the project (bundle, cold start, synth, scale, tests, gateway throughput, reload latency) and\n' +
    'writes reports/bench.json and reports/bench.md. Exits 0 whatever the numbers are.',
  flags: {
    only: { kind: 'string', default: '1,2,3,4,5,6,7', description: 'the items to run, by number' },
    quick: { kind: 'boolean', description: 'fewer runs per item' },
    readme: { kind: 'boolean', description: 'also write the table into docs/benchmarks.md between its bench markers' },
    'gateway-url': { kind: 'string', description: 'measure this running gateway instead of starting one' },
    'token-file': { kind: 'path', description: 'the token for --gateway-url, from a file (never echoed)' },
    'keep-temp': { kind: 'boolean', description: 'keep the temporary folders for inspection' },
  },
  notes: 'Environment: BENCH_TOKEN, the token for --gateway-url (when --token-file is not given).',
} as const satisfies CommandSpec;

export const ALL_COMMANDS = {
  start: START_COMMAND,
  gateway: GATEWAY_COMMAND,
  idp: IDP_COMMAND,
  backend: BACKEND_COMMAND,
  doctor: DOCTOR_COMMAND,
  smoke: SMOKE_COMMAND,
  bench: BENCH_COMMAND,
} as const;

/**
 * The file each command runs (what its npm script starts with tsx). test/tools/cli runs each one
 * with --help and checks it prints its spec's usage, so the docs check can read flags from the
 * specs without starting a process per tool.
 */
export const ENTRY_POINTS: Readonly<Record<keyof typeof ALL_COMMANDS, string>> = {
  start: 'tools/local-gateway/start.ts',
  gateway: 'tools/local-gateway/cli.ts',
  idp: 'tools/local-idp/cli.ts',
  backend: 'tools/local-backend/cli.ts',
  doctor: 'tools/doctor/cli.ts',
  smoke: 'tools/smoke/smoke.ts',
  bench: 'tools/bench/run.ts',
};
