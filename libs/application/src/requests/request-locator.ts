import { Injectable } from '@nestjs/common';
import { requestDecider } from '@helpdesk/domain';
import { ResourceNotFound } from '../errors';
import { StreamLoader } from '../event-sourcing/stream-loader';
import { UUID_PATTERN } from '../support/ids';
import { Streams } from '../support/streams';
import { RequestNumbers } from './request-numbers';

/**
 * Turns what a caller wrote in a URL — a request id, or its number (`42` or `#42`) — into a request id.
 * A merged request's number keeps working: it leads to the request it was merged into. Its id still
 * addresses the merged request itself (whose commands then say it was merged, and where to).
 */
@Injectable()
export class RequestLocator {
  constructor(
    private readonly numbers: RequestNumbers,
    private readonly loader: StreamLoader,
  ) {}

  /** For commands that are about the merged request itself (unmerge), `followMerges: false`. */
  async locate(ref: string, { followMerges = true }: { followMerges?: boolean } = {}): Promise<string> {
    const trimmed = ref.trim();
    if (UUID_PATTERN.test(trimmed)) {
      const id = trimmed.toLowerCase();
      // The command that follows reads the stream anyway; reading it here too is only needed once.
      if (!this.loader.knownToExist(Streams.request(id))) await this.mustExist(id, ref);
      return id;
    }
    const numeric = /^#?(\d{1,15})$/.exec(trimmed);
    if (!numeric) throw new ResourceNotFound(`No request ${ref}: use a request id or number`);
    let id = await this.numbers.resolve(Number(numeric[1]));
    if (!id) throw new ResourceNotFound(`No request #${numeric[1]}`);
    if (!followMerges) {
      await this.mustExist(id, ref);
      return id;
    }
    for (let hops = 0; hops < 32; hops++) {
      const state = await this.mustExist(id, ref);
      if (state.kind !== 'existing' || !state.mergedInto) return id;
      id = state.mergedInto.requestId;
    }
    return id;
  }

  private async mustExist(id: string, ref: string) {
    const { state } = await this.loader.load(Streams.request(id), requestDecider);
    if (state.kind === 'none') throw new ResourceNotFound(`No request ${ref}`);
    return state;
  }
}
