import {
  applyRequestParameters,
  evaluateMappingValue,
  isReservedHeader,
  type MappingSource,
  ParameterMappingError,
  parseRequestParameters,
} from '../../../tools/local-gateway/parameter-mapping';
import { thrown } from '../../support/thrown';

// RequestParameters exactly as aws-cdk-lib's HttpUrlIntegration + ParameterMapping synthesize them.
const SYNTHESIZED = {
  'overwrite:header.x-wso2-sub': '$context.authorizer.claims.sub',
  'overwrite:header.x-wso2-client-id': '$context.authorizer.claims.client_id',
  'append:header.x-extra': 'static',
  'remove:header.x-remove-me': '',
  'overwrite:path': '$request.path',
  'append:querystring.q': '$request.header.x-q',
};

const source = (extra: Partial<MappingSource> = {}): MappingSource => ({
  headers: { 'x-q': 'from-header', 'x-wso2-sub': 'forged', 'x-extra': 'caller', 'x-remove-me': 'bye' },
  query: new URLSearchParams('a=1&a=2&keep=yes'),
  path: '/legacy/items/42',
  pathParameters: { proxy: 'items/42' },
  context: { requestId: 'req-1', 'authorizer.claims.sub': 'alice', 'authorizer.claims.client_id': 'demo-client' },
  ...extra,
});

describe('parseRequestParameters', () => {
  test('reads every key kind aws-cdk-lib synthesizes', () => {
    expect(parseRequestParameters(SYNTHESIZED, 'integration I').map((m) => [m.action, m.target])).toEqual([
      ['overwrite', { kind: 'header', name: 'x-wso2-sub' }],
      ['overwrite', { kind: 'header', name: 'x-wso2-client-id' }],
      ['append', { kind: 'header', name: 'x-extra' }],
      ['remove', { kind: 'header', name: 'x-remove-me' }],
      ['overwrite', { kind: 'path' }],
      ['append', { kind: 'querystring', name: 'q' }],
    ]);
  });

  test.each([
    ['overwrite:header.Authorization', 'Authorization'],
    ['overwrite:header.x-amzn-trace-id', 'x-amzn-trace-id'],
    ['append:header.Access-Control-Allow-Origin', 'Access-Control-Allow-Origin'],
    ['overwrite:header.X-Forwarded-For', 'X-Forwarded-For'],
    ['remove:header.apigw-requestid', 'apigw-requestid'],
  ])('a reserved header is refused as API Gateway refuses it: %s', (key, name) => {
    const error = thrown(() => parseRequestParameters({ [key]: 'x' }, 'integration I'));
    expect(error).toBeInstanceOf(ParameterMappingError);
    expect(error.message).toBe(
      `integration I: ${JSON.stringify(key)} maps the reserved header ${JSON.stringify(name)}, ` +
        'which API Gateway refuses',
    );
  });

  test('an unknown key kind, a bad value and a body mapping are refused, naming key and value', () => {
    expect(thrown(() => parseRequestParameters({ 'overwrite:body.x': 'a' }, 'integration I')).message).toBe(
      'integration I: request parameter key "overwrite:body.x" is not append|overwrite|remove:header.<name>, ' +
        'append|overwrite|remove:querystring.<name> or overwrite:path',
    );
    expect(thrown(() => parseRequestParameters({ 'overwrite:header.x': '$nonsense.x' }, 'integration I')).message).toBe(
      'integration I: request parameter "overwrite:header.x": ' +
        '"$nonsense.x" is not a mapping expression API Gateway knows',
    );
    expect(thrown(() => parseRequestParameters({ 'overwrite:header.x': 42 }, 'integration I')).message).toBe(
      'integration I: request parameter "overwrite:header.x" must map to a string, got 42',
    );
    expect(thrown(() => parseRequestParameters({ 'overwrite:header.x': '$request.body.a' }, 'I')).message).toContain(
      'maps the request body, which the local gateway does not serve',
    );
  });

  test('reserved prefixes match case-insensitively, ordinary names pass', () => {
    expect(isReservedHeader('X-Amz-Date')).toBe(true);
    expect(isReservedHeader('x-wso2-sub')).toBe(false);
  });
});

describe('evaluateMappingValue', () => {
  test('each value kind', () => {
    const s = source();
    expect(evaluateMappingValue('$request.header.X-Q', s)).toBe('from-header');
    expect(evaluateMappingValue('$request.querystring.a', s)).toBe('1,2');
    expect(evaluateMappingValue('$request.path', s)).toBe('/legacy/items/42');
    expect(evaluateMappingValue('$request.path.proxy', s)).toBe('items/42');
    expect(evaluateMappingValue('$context.requestId', s)).toBe('req-1');
    expect(evaluateMappingValue('plain', s)).toBe('plain');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: API Gateway's ${...} mapping syntax, not a template
    expect(evaluateMappingValue('sub=${context.authorizer.claims.sub};id=${context.requestId}', s)).toBe(
      'sub=alice;id=req-1',
    );
  });

  test('a missing header, claim or parameter is undefined, not an empty string', () => {
    expect(evaluateMappingValue('$context.authorizer.claims.email', source())).toBeUndefined();
    expect(evaluateMappingValue('$request.header.absent', source())).toBeUndefined();
    // biome-ignore lint/suspicious/noTemplateCurlyInString: API Gateway's ${...} mapping syntax, not a template
    expect(evaluateMappingValue('${request.path.nope}', source())).toBeUndefined();
  });
});

describe('applyRequestParameters', () => {
  const request = () => ({
    headers: { ...source().headers },
    query: [...source().query.entries()] as Array<[string, string]>,
  });

  test('overwrite replaces a forged identity header; append joins; remove drops; path and query mapped', () => {
    const mapped = applyRequestParameters(parseRequestParameters(SYNTHESIZED, 'I'), source(), request());
    expect(mapped.headers).toEqual({
      'x-q': 'from-header',
      'x-wso2-sub': 'alice',
      'x-wso2-client-id': 'demo-client',
      'x-extra': 'caller,static',
    });
    expect(mapped.path).toBe('/legacy/items/42');
    expect(mapped.query).toEqual([
      ['a', '1'],
      ['a', '2'],
      ['keep', 'yes'],
      ['q', 'from-header'],
    ]);
  });

  test("an overwrite whose claim is missing still drops the caller's header of that name", () => {
    const mappings = parseRequestParameters({ 'overwrite:header.x-wso2-sub': '$context.authorizer.claims.sub' }, 'I');
    const mapped = applyRequestParameters(mappings, source({ context: {} }), request());
    expect(mapped.headers['x-wso2-sub']).toBeUndefined();
  });

  test('querystring overwrite and remove replace every value of the name', () => {
    const mappings = parseRequestParameters(
      { 'overwrite:querystring.a': '$context.requestId', 'remove:querystring.keep': '' },
      'I',
    );
    expect(applyRequestParameters(mappings, source(), request()).query).toEqual([['a', 'req-1']]);
  });

  test("values come from the caller's request, never from another mapping", () => {
    const mappings = parseRequestParameters(
      { 'overwrite:header.x-q': 'changed', 'overwrite:header.x-copy': '$request.header.x-q' },
      'I',
    );
    const mapped = applyRequestParameters(mappings, source(), request());
    expect(mapped.headers['x-copy']).toBe('from-header');
  });
});
