import { echoOf, startEchoBackend } from '../../../tools/local-backend/server';
import { closeHttpAgent, httpCall } from '../../support/local-stack';

describe('the echo backend', () => {
  test('echoes method, path, query and the identity headers only: never Authorization or other headers', () => {
    expect(
      echoOf(
        'POST',
        '/legacy/a%20b?x=1&x=2&y=',
        { authorization: 'Bearer secret', cookie: 'c=1', 'x-wso2-sub': 'alice', 'x-other': 'no' },
        3,
      ),
    ).toEqual({
      method: 'POST',
      path: '/legacy/a%20b',
      query: { x: ['1', '2'], y: [''] },
      identity: { 'x-wso2-sub': 'alice' },
      bodyBytes: 3,
    });
  });

  test('answers over HTTP on an ephemeral loopback port', async () => {
    const backend = await startEchoBackend({ port: 0 });
    try {
      const response = await httpCall(`${backend.url}/p?q=1`, {
        headers: { 'x-wso2-client-id': 'c', authorization: 'Bearer t' },
      });
      expect(response.status).toBe(200);
      expect(JSON.parse(response.body)).toEqual({
        method: 'GET',
        path: '/p',
        query: { q: ['1'] },
        identity: { 'x-wso2-client-id': 'c' },
        bodyBytes: 0,
      });
    } finally {
      closeHttpAgent();
      await backend.close();
    }
  });
});
