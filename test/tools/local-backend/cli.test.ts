/** `npm run backend` as a real process: its `local-backend listening {json}` line, and it answers there. */
import { httpCall, startCli } from '../../support/local-stack';

test('prints one listening line with its URL and port, and echoes a request sent there', async () => {
  const backend = await startCli('tools/local-backend/cli.ts', ['--port', '0'], 'local-backend listening');
  try {
    const port = Number(backend.ready.port);
    expect(backend.ready).toEqual({ url: `http://127.0.0.1:${port}`, port });
    const echo = await httpCall(`${backend.ready.url}/items?x=1`, { agent: false });
    expect(echo.status).toBe(200);
    expect(JSON.parse(echo.body)).toMatchObject({ method: 'GET', path: '/items', query: { x: ['1'] } });
  } finally {
    await backend.stop();
  }
}, 30_000);
