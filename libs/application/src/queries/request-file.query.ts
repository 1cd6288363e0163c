import { Inject } from '@nestjs/common';
import { IQueryBus, IQueryHandler, QueryBus, QueryHandler } from '@nestjs/cqrs';
import type { Actor, MessageSnapshot } from '@helpdesk/domain';
import { BLOB_STORE, type BlobStore } from '@helpdesk/mail';
import { ResourceNotFound } from '../errors';
import { GetRequestQuery } from './request-detail.query';

/** A file a request carries, by the sha256 of its bytes in the blob store. */
export interface RequestFile {
  readonly blob: string;
  readonly filename: string;
  readonly contentType: string;
}

/**
 * Every file on a request's messages: what an agent sent with a reply, what a mail brought (inline
 * images too), and each inbound mail as it was received (the raw RFC 822 bytes, for whoever must see
 * exactly what arrived).
 */
export const requestFiles = (messages: readonly MessageSnapshot[]): RequestFile[] =>
  messages.flatMap((m): RequestFile[] => {
    const sent = m.attachments ?? [];
    if (m.email?.direction !== 'inbound') return [...sent];
    const raw = { blob: m.email.rawBlob, filename: `message-${m.messageId}.eml`, contentType: 'message/rfc822' };
    return [...sent, ...m.email.attachments, raw];
  });

export class RequestFileQuery {
  constructor(
    readonly actor: Actor,
    readonly requestId: string,
    readonly blob: string,
  ) {}
}

/**
 * A file through the request it belongs to: whoever may read the request (its category decides) may
 * read its files, and nobody reaches a file through a request that does not carry it. A content hash is
 * no secret (anyone holding the same file can compute it), so it is never the permission.
 */
@QueryHandler(RequestFileQuery)
export class RequestFileHandler implements IQueryHandler<RequestFileQuery, { file: RequestFile; bytes: Buffer }> {
  constructor(
    @Inject(QueryBus) private readonly queries: IQueryBus,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
  ) {}

  async execute({ actor, requestId, blob }: RequestFileQuery): Promise<{ file: RequestFile; bytes: Buffer }> {
    const request: { messages: readonly MessageSnapshot[] } = await this.queries.execute(new GetRequestQuery(actor, requestId));
    const hash = blob.toLowerCase();
    const file = requestFiles(request.messages).find((f) => f.blob === hash);
    const bytes = file && (await this.blobs.get(hash));
    if (!file || !bytes) throw new ResourceNotFound(`Request ${requestId} has no file ${blob}`);
    return { file: { blob: file.blob, filename: file.filename, contentType: file.contentType }, bytes };
  }
}
