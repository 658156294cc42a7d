// The RPC server's answers to what a client may get wrong, seen at the message level.
import { describe, expect, it } from 'vitest';
import { createMemoryPair } from '../../../src/shared/rpc/memory-transport';
import { EventHub } from '../../../src/shared/rpc/event-hub';
import type { ServerMessage } from '../../../src/shared/rpc/messages';
import { serveConnection } from '../../../src/shared/rpc/server';
import type { Handlers } from '../../../src/shared/rpc/server';
import { createServices } from '../../../src/main/services';
import { tempDir } from '../../helpers/transports';

function harness() {
  const services = createServices({ dataDir: tempDir('rpc'), mode: 'headless', version: '1.2.3' });
  const hub = new EventHub();
  const pair = createMemoryPair<unknown, ServerMessage>();
  const received: ServerMessage[] = [];
  pair.left.onMessage((m) => received.push(m));
  const stop = serveConnection(pair.right, services.handlers as Handlers, hub);
  const next = async (n = 1) => {
    for (let i = 0; i < 50 && received.length < n; i++) await new Promise((r) => setTimeout(r, 5));
    return received;
  };
  return { pair, hub, received, next, stop };
}

describe('serveConnection', () => {
  it('answers a malformed message with invalid_message and the id when it has one', async () => {
    const h = harness();
    h.pair.left.send({ t: 'req', id: 4 });
    h.pair.left.send('not an object');
    const got = await h.next(2);
    expect(got[0]).toMatchObject({ t: 'err', id: 4, error: { code: 'invalid_message' } });
    expect(got[1]).toMatchObject({ t: 'err', id: null, error: { code: 'invalid_message' } });
  });

  it('forwards hub events to the connection until it closes', async () => {
    const h = harness();
    h.hub.emit('hosts.changed', { ids: ['a'] });
    expect(await h.next(1)).toEqual([{ t: 'evt', event: 'hosts.changed', payload: { ids: ['a'] } }]);
    h.stop();
    h.hub.emit('hosts.changed', { ids: ['b'] });
    await new Promise((r) => setTimeout(r, 20));
    expect(h.received).toHaveLength(1);
  });

  it('answers with the result of the validated call', async () => {
    const h = harness();
    h.pair.left.send({ t: 'req', id: 1, method: 'app.info', params: {} });
    expect((await h.next(1))[0]).toMatchObject({ t: 'res', id: 1, result: { version: '1.2.3', mode: 'headless' } });
  });
});
