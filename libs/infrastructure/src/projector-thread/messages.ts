/** What the projector thread needs: its own connections to the same two SQLite files. */
export interface ProjectorThreadData {
  readonly eventsPath: string;
  readonly readPath: string;
}

/** How long a busy batch waits for more events, and how many make it busy (ProjectionRunnerOptions). */
export interface BatchLinger {
  readonly lingerMs: number;
  readonly lingerFrom: number;
}

/** Host -> thread. */
export type ToProjectorThread = { readonly type: 'appended' } | { readonly type: 'stop' };

/** Thread -> host. */
export type FromProjectorThread =
  | { readonly type: 'started' }
  | { readonly type: 'progress'; readonly position: bigint }
  | { readonly type: 'upgraded' }
  | { readonly type: 'error'; readonly message: string; readonly fatal: boolean }
  | { readonly type: 'stopped' };
