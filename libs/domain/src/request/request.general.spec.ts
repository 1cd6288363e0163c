import type { RequestCommand } from './request.commands';
import {
  accept,
  addNote,
  audrey,
  carol,
  close,
  create,
  createSplit,
  decide,
  deleted,
  deleteRequest,
  editMessage,
  given,
  joinMerged,
  merged,
  mergeInto,
  noted,
  opened,
  reopen,
  reply,
  restore,
  rory,
  system,
  THIRD,
  undoMerge,
} from './request.fixtures';

describe('any request command', () => {
  describe('on a request that does not exist', () => {
    it.each<[string, RequestCommand]>([
      ['accept', accept()],
      ['close', close()],
      ['add a note', addNote()],
      ['restore', restore()],
      ['undo a merge', undoMerge()],
    ])('refuses to %s it', (_, command) => given().when(command).thenThrows('request-not-found'));
  });

  describe('creating a request that exists', () => {
    it('refuses to create it again', () => given(opened()).when(create()).thenThrows('request-exists'));

    it('refuses to create it again as a split-off request', () =>
      given(opened()).when(createSplit({ requestId: 'req-1', number: 1042 })).thenThrows('request-exists'));
  });

  describe('read-only roles', () => {
    it('refuses an auditor', () => given(opened()).when(addNote({ actor: audrey })).thenThrows('read-only-role'));

    it('refuses a reporter', () => given(opened()).when(close({ actor: rory })).thenThrows('read-only-role'));

    it('refuses an auditor creating a request', () => given().when(create({ actor: audrey })).thenThrows('read-only-role'));

    it('lets the platform itself act', () =>
      given(opened()).when(addNote({ actor: system })).then([noted({ authorId: 'system' })]));
  });

  describe('on a merged request', () => {
    const mergedAway = () => [...opened(), merged()];

    it.each<[string, RequestCommand]>([
      ['add a note', addNote()],
      ['reply', reply()],
      ['close', close()],
      ['edit a message', editMessage()],
      ['delete', deleteRequest()],
      ['accept', accept()],
    ])('refuses to %s', (_, command) => given(mergedAway()).when(command).thenThrows('request-merged'));

    it('names the request it was merged into', () =>
      expect(() => decide(mergedAway(), addNote())).toThrow('#1043'));

    it('refuses to merge it again', () =>
      given(mergedAway()).when(mergeInto({ target: THIRD })).thenThrows('request-already-merged'));

    it('refuses to take in another request', () =>
      given(mergedAway()).when(joinMerged({ source: THIRD })).thenThrows('merge-target-merged'));
  });

  describe('on a deleted request', () => {
    const deletedOne = () => [...opened(), deleted()];

    it.each<[string, RequestCommand]>([
      ['add a note', addNote()],
      ['close', close()],
      ['reopen', reopen()],
      ['merge', mergeInto()],
      ['accept', accept()],
    ])('refuses to %s', (_, command) => given(deletedOne()).when(command).thenThrows('request-deleted'));

    it('refuses to delete it again', () =>
      given(deletedOne()).when(deleteRequest({ actor: carol })).thenThrows('request-already-deleted'));
  });
});
