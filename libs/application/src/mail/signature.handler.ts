import { Injectable } from '@nestjs/common';
import { signatureDecider } from '@helpdesk/domain';
import { StreamLoader } from '../event-sourcing/stream-loader';
import { Streams } from '../support/streams';

/** Reads an agent's email signature (set with DecideOnStream on `signature-<agentId>`). */
@Injectable()
export class Signatures {
  constructor(private readonly loader: StreamLoader) {}

  async of(agentId: string): Promise<string> {
    return (await this.loader.load(Streams.signature(agentId), signatureDecider)).state.text;
  }
}
