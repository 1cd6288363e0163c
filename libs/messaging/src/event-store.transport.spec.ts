import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, Payload, type MicroserviceOptions } from '@nestjs/microservices';
import type { INestMicroservice } from '@nestjs/common';
import { SqliteEventStore, type RecordedEvent } from '@helpdesk/event-store';
import { MemoryCheckpoints } from './checkpoints';
import { EventStoreContext } from './event-store.context';
import { EventStoreTransport } from './event-store.transport';

/** What the handlers saw, shared with the test (one app at a time). */
const seen: string[] = [];
let failuresLeft = 0;

@Controller()
class Listener {
  @EventPattern(['TicketOpened', 'TicketClosed'])
  onTicket(@Payload() event: RecordedEvent, @Ctx() context: EventStoreContext) {
    if (context.getEvent() !== event) throw new Error('the context carries the same event');
    if (event.type === 'TicketClosed' && failuresLeft > 0) {
      failuresLeft--;
      throw new Error('transient failure');
    }
    seen.push(`${event.type}:${event.data.n}`);
  }

  @EventPattern('NotePosted')
  async onNote(@Payload() event: RecordedEvent) {
    await new Promise((resolve) => setTimeout(resolve, 1));
    seen.push(`NotePosted:${event.data.n}`);
  }
}

@Module({ controllers: [Listener] })
class ListenerModule {}

const waitFor = async (condition: () => boolean, what: string) => {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; seen ${JSON.stringify(seen)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe('EventStoreTransport (@EventPattern handlers fed by the event store)', () => {
  let dir: string;
  let store: SqliteEventStore;
  let checkpoints: MemoryCheckpoints;
  let app: INestMicroservice | undefined;

  const start = async () => {
    app = await NestFactory.createMicroservice<MicroserviceOptions>(ListenerModule, {
      strategy: new EventStoreTransport(store, { name: 'listener', checkpoints, retryDelayMs: [5, 20] }),
      logger: false,
    });
    await app.listen();
  };
  const append = (stream: string, type: string, n: number) => store.append(stream, [{ id: crypto.randomUUID(), type, data: { n } }], 'any');

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'transport-'));
    store = new SqliteEventStore({ path: join(dir, 'events.sqlite'), pollIntervalMs: 20 });
    checkpoints = new MemoryCheckpoints();
    seen.length = 0;
    failuresLeft = 0;
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers past and live events to the handlers of their types, in log order, and saves the checkpoint', async () => {
    await append('ticket-1', 'TicketOpened', 1);
    await append('ticket-1', 'SomethingElse', 2);
    await start();
    await append('ticket-1', 'NotePosted', 3);
    const closed = await append('ticket-1', 'TicketClosed', 4);
    await waitFor(() => seen.length === 3, 'three deliveries');
    expect(seen).toEqual(['TicketOpened:1', 'NotePosted:3', 'TicketClosed:4']);
    await waitFor(() => checkpoints.load('listener') === closed.position, 'the checkpoint');
  });

  it('retries a failing handler before delivering anything later (at least once, in order)', async () => {
    failuresLeft = 2;
    await append('ticket-2', 'TicketClosed', 1);
    await append('ticket-2', 'NotePosted', 2);
    await start();
    await waitFor(() => seen.length === 2, 'both deliveries');
    expect(seen).toEqual(['TicketClosed:1', 'NotePosted:2']);
    expect(failuresLeft).toBe(0);
  });

  it('resumes after its checkpoint when started again: nothing is delivered twice or skipped', async () => {
    await append('ticket-3', 'TicketOpened', 1);
    await start();
    await waitFor(() => seen.length === 1, 'the first delivery');
    await app!.close();
    app = undefined;
    await append('ticket-3', 'TicketClosed', 2);
    await start();
    await waitFor(() => seen.length === 2, 'the second delivery');
    expect(seen).toEqual(['TicketOpened:1', 'TicketClosed:2']);
  });
});
