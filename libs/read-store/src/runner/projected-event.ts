import type { RecordedEvent } from '@helpdesk/event-store';
import type { ProjectedEvent } from '@helpdesk/projections';

/** Positions and revisions become numbers for projections: they go into JSON documents. */
export const toProjectedEvent = (event: RecordedEvent): ProjectedEvent => ({
  type: event.type,
  data: event.data,
  streamId: event.streamId,
  revision: Number(event.revision),
  position: Number(event.position),
  metadata: event.metadata,
  recordedAt: event.recordedAt,
});
