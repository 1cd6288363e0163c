import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDefined,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  EmailList,
  Id,
  NullableId,
  NullableString,
  OptionalFlag,
  OptionalId,
  OptionalOneOf,
  OptionalString,
  OptionalStringList,
  OptionalText,
  OptionalTimestamp,
  StringList,
  Tags,
  Text,
  Timestamp,
} from '../support/field.decorators';

const ACCESS_LEVELS = ['internal', 'external'] as const;
type AccessLevel = (typeof ACCESS_LEVELS)[number];
const ID = { minLength: 1, maxLength: 100 };
/** Message bodies may be long (a pasted log), but the whole HTTP body is capped at 1 MiB anyway. */
const BODY_MAX = 100_000;

class Recipients {
  @EmailList(100, { example: ['customer@example.com'] }) to?: string[];
  @EmailList(100) cc?: string[];
  @EmailList(100) bcc?: string[];
}

export class FirstMessageDto extends Recipients {
  @Text(BODY_MAX, { example: 'The customer called: the invoice total is wrong.' }) body!: string;

  @OptionalOneOf(['customer', 'outbound', 'note'], {
    description: 'customer (default without To): the enquiry as taken down; outbound (default with To): sent to To/Cc/Bcc; note: internal',
  })
  kind?: 'customer' | 'outbound' | 'note';

  @OptionalOneOf(ACCESS_LEVELS) accessLevel?: AccessLevel;
}

export class CreateRequestDto {
  @Text(200, { example: 'Invoice 1042 shows the wrong total' }) title!: string;

  @ApiProperty({ type: [String], description: 'Contact ids in order; the first is the main contact' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(ID.minLength, ID.maxLength, { each: true })
  contactIds!: string[];

  @OptionalId() categoryId?: string;
  @OptionalId() priorityId?: string;
  @NullableId({ description: 'An agent id; null or omitted: unassigned' }) ownerId?: string | null;
  @OptionalId() statusId?: string;
  @OptionalTimestamp({ description: 'ISO 8601; required with a postponed status' }) postponedUntil?: string;
  @Tags() tags?: string[];
  @OptionalOneOf(ACCESS_LEVELS) accessLevel?: AccessLevel;

  @OptionalOneOf(['phone', 'email', 'web', 'api'], { description: 'How the request came in (default api)' })
  channel?: 'phone' | 'email' | 'web' | 'api';

  @ApiProperty({ type: FirstMessageDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => FirstMessageDto)
  message!: FirstMessageDto;
}

export class AssignDto {
  @ApiProperty({ nullable: true, description: 'An agent id, or null for unassigned' })
  @IsDefined({ message: 'ownerId is required (null for unassigned)' })
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @Length(ID.minLength, ID.maxLength)
  ownerId!: string | null;
}

export class TransferDto {
  @NullableId({ description: 'The colleague; null for the unassigned queue of categoryId' }) ownerId?: string | null;
  @OptionalId() categoryId?: string;
  @Text(BODY_MAX, { description: 'Internal note explaining the question' }) note!: string;
}

export class NoteDto {
  @Text(BODY_MAX) body!: string;
}

/** A file uploaded with POST /api/mail/attachments, to send with a reply. */
export class AttachmentDto {
  @ApiProperty({ description: 'The sha256 the upload answered with' }) @IsString() @Matches(/^[0-9a-fA-F]{64}$/, { message: 'blob must be the sha256 an upload answered with' }) blob!: string;
  @Text(255) filename!: string;
  @ApiProperty({ example: 'application/pdf' }) @IsString() @Matches(/^[\w.+-]+\/[\w.+-]+$/, { message: 'contentType must be a MIME type such as application/pdf' }) contentType!: string;
}

export class ReplyDto extends Recipients {
  @Text(BODY_MAX) body!: string;
  @OptionalOneOf(ACCESS_LEVELS) accessLevel?: AccessLevel;
  @OptionalFlag() closeAfterReply?: boolean;
  @OptionalId() closeStatusId?: string;
  @ApiPropertyOptional({ type: [AttachmentDto], description: 'Uploaded files to send with the reply (at most 20)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => AttachmentDto)
  attachments?: AttachmentDto[];
}

export class ForwardDto extends Recipients {
  @ApiPropertyOptional({ description: 'Shown above the forwarded messages' }) @IsOptional() @IsString() @MaxLength(BODY_MAX) note?: string;
  @OptionalStringList({ min: 1 }, { description: 'Default: all messages' }) messageIds?: string[];
}

export class SplitDto {
  @StringList({ max: 1000 }) messageIds!: string[];
  @Text(200) title!: string;
  @OptionalString({ description: "The original's status after the split" }) originalStatusId?: string;
  @OptionalStringList({ min: 1 }) contactIds?: string[];
  @OptionalString() categoryId?: string;
  @OptionalString() priorityId?: string;
  @NullableString() ownerId?: string | null;
  @OptionalString() statusId?: string;
  @OptionalTimestamp() postponedUntil?: string;
  @OptionalOneOf(ACCESS_LEVELS) accessLevel?: AccessLevel;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @IsString({ each: true }) @MaxLength(50, { each: true }) tags?: string[];
}

export class MergeDto {
  @StringList({ min: 1, max: 50 }, { description: 'Requests (ids or numbers) to merge into this one' }) sourceIds!: string[];
}

export class UnmergeDto {
  @Id({ description: 'The merged request (id or number) to take out again' }) sourceId!: string;
}

export class StatusChoiceDto {
  @OptionalId({ description: 'Default: the default status of the target base status' }) statusId?: string;
}

export class PostponeDto extends StatusChoiceDto {
  @Timestamp({ example: '2026-12-01T09:00:00Z' }) until!: string;
}

export class UpdateRequestDto {
  @OptionalText(200) title?: string;
  @OptionalId() statusId?: string;
  @OptionalTimestamp() postponedUntil?: string;
  @OptionalId() priorityId?: string;
  @OptionalId() categoryId?: string;
  @OptionalOneOf(ACCESS_LEVELS) accessLevel?: AccessLevel;
  @Tags({ description: 'The complete new set of tags' }) tags?: string[];
}

export class UpdateMessageDto {
  @OptionalOneOf(ACCESS_LEVELS) accessLevel?: AccessLevel;
  @OptionalFlag() flagged?: boolean;
}

export class MessageVersionDto {
  @Text(BODY_MAX, { description: 'The new text; earlier versions are kept' }) body!: string;
}

export class AddContactDto {
  @Id() contactId!: string;
  @ApiPropertyOptional({ description: '0 makes it the main contact; default: last' }) @IsOptional() @IsInt() @Min(0) position?: number;
}

export class ReorderContactsDto {
  @StringList({ min: 1 }) contactIds!: string[];
}

export class TagDto {
  @Text(50) tag!: string;
}
