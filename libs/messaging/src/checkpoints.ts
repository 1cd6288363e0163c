/** Where a transport remembers the last event its handlers finished (positions are exclusive starts). */
export interface CheckpointStore {
  load(name: string): Promise<bigint | undefined> | bigint | undefined;
  save(name: string, position: bigint): Promise<void> | void;
}

/** For handlers whose state lives in memory and is rebuilt from the whole log at every start. */
export class MemoryCheckpoints implements CheckpointStore {
  private readonly positions = new Map<string, bigint>();
  load(name: string): bigint | undefined {
    return this.positions.get(name);
  }
  save(name: string, position: bigint): void {
    this.positions.set(name, position);
  }
}
